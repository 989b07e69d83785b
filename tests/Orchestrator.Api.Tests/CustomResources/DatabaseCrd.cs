using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Registry;

namespace Orchestrator.Api.Tests.CustomResources;

/// <summary>
/// The stricter Database CRD the tests share: example.com/v1 Database (databases, db), spec.size
/// matching ^[0-9]+Gi$, spec.version one of three, spec.replicas 1..5, a status subresource, a
/// scale subresource and Size/Version printer columns. Each call returns a fresh copy to change.
/// </summary>
internal static class DatabaseCrd
{
    public static JsonObject Crd() => Json.Object("""
        {
          'apiVersion': 'apiextensions.k8s.io/v1',
          'kind': 'CustomResourceDefinition',
          'metadata': { 'name': 'databases.example.com' },
          'spec': {
            'group': 'example.com',
            'scope': 'Namespaced',
            'names': { 'plural': 'databases', 'singular': 'database', 'kind': 'Database', 'listKind': 'DatabaseList',
                       'shortNames': ['db'], 'categories': ['all'] },
            'versions': [{
              'name': 'v1', 'served': true, 'storage': true,
              'subresources': {
                'status': {},
                'scale': { 'specReplicasPath': '.spec.replicas', 'statusReplicasPath': '.status.replicas' }
              },
              'additionalPrinterColumns': [
                { 'name': 'Size', 'type': 'string', 'jsonPath': '.spec.size' },
                { 'name': 'Version', 'type': 'string', 'jsonPath': '.spec.version' },
                { 'name': 'Replicas', 'type': 'integer', 'jsonPath': '.spec.replicas', 'priority': 1 },
                { 'name': 'Ready', 'type': 'string', 'jsonPath': '.status.conditions[?(@.type==\u0022Ready\u0022)].status' },
                { 'name': 'First', 'type': 'string', 'jsonPath': '.spec.users[0].name', 'priority': 1 },
                { 'name': 'Age', 'type': 'date', 'jsonPath': '.metadata.creationTimestamp' }
              ],
              'schema': { 'openAPIV3Schema': {
                'type': 'object',
                'properties': {
                  'spec': {
                    'type': 'object',
                    'required': ['size'],
                    'properties': {
                      'size': { 'type': 'string', 'pattern': '^[0-9]+Gi$' },
                      'version': { 'type': 'string', 'enum': ['13.0', '14.5', '15.1'], 'default': '15.1' },
                      'replicas': { 'type': 'integer', 'minimum': 1, 'maximum': 5, 'default': 1 },
                      'port': { 'x-kubernetes-int-or-string': true },
                      'backup': {
                        'type': 'object',
                        'default': {},
                        'properties': {
                          'enabled': { 'type': 'boolean', 'default': true },
                          'schedule': { 'type': 'string', 'maxLength': 10 }
                        }
                      },
                      'users': {
                        'type': 'array',
                        'maxItems': 3,
                        'x-kubernetes-list-type': 'map',
                        'x-kubernetes-list-map-keys': ['name'],
                        'items': {
                          'type': 'object',
                          'required': ['name'],
                          'properties': {
                            'name': { 'type': 'string' },
                            'roles': { 'type': 'array', 'x-kubernetes-list-type': 'set', 'items': { 'type': 'string' } }
                          }
                        }
                      },
                      'tags': { 'type': 'array', 'items': { 'type': 'string' } },
                      'labels': { 'type': 'object', 'additionalProperties': { 'type': 'string', 'minLength': 1 } },
                      'extra': { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
                      'created': { 'type': 'string', 'format': 'date-time' }
                    }
                  },
                  'status': {
                    'type': 'object',
                    'properties': {
                      'replicas': { 'type': 'integer' },
                      'conditions': {
                        'type': 'array',
                        'x-kubernetes-list-type': 'map',
                        'x-kubernetes-list-map-keys': ['type'],
                        'items': {
                          'type': 'object',
                          'properties': { 'type': { 'type': 'string' }, 'status': { 'type': 'string' } }
                        }
                      }
                    }
                  }
                }
              } }
            }]
          }
        }
        """);

    public static ResourceDefinition Resource() => CustomResourceDefinitions.ResourcesOf(Crd()).Single();

    public static StructuralSchema Schema() => Resource().Custom!.Schema;

    /// <summary>A valid Database with the given spec (single-quoted JSON).</summary>
    public static JsonObject Object(string spec = "{'size':'10Gi','version':'14.5','replicas':3}") => Json.Object(
        "{'apiVersion':'example.com/v1','kind':'Database','metadata':{'name':'db1','namespace':'default'},'spec':" + spec + "}");
}
