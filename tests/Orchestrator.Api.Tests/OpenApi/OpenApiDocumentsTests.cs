using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;
using static Orchestrator.Api.Tests.OpenApi.OpenApiJson;

namespace Orchestrator.Api.Tests.OpenApi;

public sealed class OpenApiDocumentsTests
{
    private static readonly OpenApiDocuments BuiltIns = OpenApiDocuments.Build(ResourceRegistry.CreateWithBuiltIns().Snapshot);

    [Theory]
    [InlineData("api/v1")]
    [InlineData("apis/apps/v1")]
    [InlineData("apis/batch/v1")]
    [InlineData("apis/networking.k8s.io/v1")]
    [InlineData("apis/storage.k8s.io/v1")]
    [InlineData("apis/coordination.k8s.io/v1")]
    [InlineData("apis/policy/v1")]
    [InlineData("apis/apiextensions.k8s.io/v1")]
    public void Index_links_each_group_version_by_hash(string path)
    {
        JsonObject index = Parse(BuiltIns.Index);

        GroupVersionDocument document = Assert.IsType<GroupVersionDocument>(BuiltIns.Find(path));
        Assert.Equal($"/openapi/v3/{path}?hash={document.Hash}", (string?)index["paths"]![path]!["serverRelativeURL"]);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(document.Json.Span)), document.Hash);
    }

    [Fact]
    public void Index_lists_only_group_versions_with_documents()
    {
        JsonObject paths = Parse(BuiltIns.Index)["paths"]!.AsObject();

        Assert.Equal(BuiltIns.Documents.Keys.Order(StringComparer.Ordinal), paths.Select(p => p.Key));
        Assert.Equal(11, paths.Count);
    }

    [Fact]
    public void Same_registry_builds_identical_documents()
    {
        OpenApiDocuments again = OpenApiDocuments.Build(ResourceRegistry.CreateWithBuiltIns().Snapshot);

        Assert.Equal(BuiltIns.Index.ToArray(), again.Index.ToArray());
        foreach ((string path, GroupVersionDocument document) in BuiltIns.Documents)
        {
            Assert.Equal(document.Hash, again.Find(path)!.Hash);
            Assert.Equal(document.Json.ToArray(), again.Find(path)!.Json.ToArray());
        }
    }

    [Fact]
    public void Hash_changes_with_the_document_and_only_with_it()
    {
        var registry = ResourceRegistry.CreateWithBuiltIns();
        registry.Unregister(new GroupVersionResource("", "v1", "configmaps"));

        OpenApiDocuments changed = OpenApiDocuments.Build(registry.Snapshot);

        Assert.NotEqual(BuiltIns.Find("api/v1")!.Hash, changed.Find("api/v1")!.Hash);
        Assert.Equal(BuiltIns.Find("apis/apps/v1")!.Hash, changed.Find("apis/apps/v1")!.Hash);
        Assert.NotEqual(BuiltIns.Index.ToArray(), changed.Index.ToArray());
    }

    [Fact]
    public void Is_an_openapi_3_0_document()
    {
        JsonObject document = Parse(BuiltIns.Find("api/v1")!.Json);

        Assert.StartsWith("3.0.", (string?)document["openapi"]);
        Assert.Equal("Kubernetes", (string?)document["info"]!["title"]);
    }

    [Theory]
    [InlineData("api/v1", "", "Pod", "io.k8s.api.core.v1.Pod")]
    [InlineData("api/v1", "", "Namespace", "io.k8s.api.core.v1.Namespace")]
    [InlineData("api/v1", "", "Event", "io.k8s.api.core.v1.Event")]
    [InlineData("api/v1", "", "PodList", "io.k8s.api.core.v1.PodList")]
    [InlineData("api/v1", "", "Status", "io.k8s.apimachinery.pkg.apis.meta.v1.Status")]
    [InlineData("api/v1", "policy", "Eviction", "io.k8s.api.policy.v1.Eviction")]
    [InlineData("apis/apps/v1", "apps", "Deployment", "io.k8s.api.apps.v1.Deployment")]
    [InlineData("apis/apps/v1", "autoscaling", "Scale", "io.k8s.api.autoscaling.v1.Scale")]
    [InlineData("apis/coordination.k8s.io/v1", "coordination.k8s.io", "Lease", "io.k8s.api.coordination.v1.Lease")]
    [InlineData("apis/policy/v1", "policy", "PodDisruptionBudget", "io.k8s.api.policy.v1.PodDisruptionBudget")]
    public void Kinds_are_found_by_their_group_version_kind_extension(string path, string group, string kind, string expected)
    {
        JsonObject document = Parse(BuiltIns.Find(path)!.Json);

        Assert.Equal(expected, SchemaNameOfKind(document, group, "v1", kind));
    }

    [Fact]
    public void Pod_spec_containers_is_an_array_of_Container_with_a_string_image()
    {
        JsonObject document = Parse(BuiltIns.Find("api/v1")!.Json);
        JsonObject pod = Schemas(document)[SchemaNameOfKind(document, "", "v1", "Pod")!]!.AsObject();

        JsonObject spec = Resolve(document, pod["properties"]!["spec"]!.AsObject());
        JsonObject containers = spec["properties"]!["containers"]!.AsObject();

        Assert.Equal("array", (string?)containers["type"]);
        Assert.Equal("io.k8s.api.core.v1.Container", RefName(containers["items"]!.AsObject()));
        JsonObject container = Resolve(document, containers["items"]!.AsObject());
        Assert.Equal("string", (string?)container["properties"]!["image"]!["type"]);
    }

    [Theory]
    [InlineData("io.k8s.api.core.v1.Pod", "metadata", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp", "io.k8s.apimachinery.pkg.apis.meta.v1.Time")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences", null)]
    [InlineData("io.k8s.api.core.v1.ContainerPort", "containerPort", null)]
    [InlineData("io.k8s.api.core.v1.HTTPGetAction", "port", "io.k8s.apimachinery.pkg.util.intstr.IntOrString")]
    public void Fields_reference_named_schemas(string schema, string field, string? expectedRef)
    {
        JsonObject document = Parse(BuiltIns.Find("api/v1")!.Json);

        JsonObject property = Schemas(document)[schema]!["properties"]![field]!.AsObject();

        Assert.Equal(expectedRef, RefName(property));
    }

    [Fact]
    public void Special_scalars_are_strings()
    {
        JsonObject schemas = Schemas(Parse(BuiltIns.Find("api/v1")!.Json));

        Json.Equal("{'type':'string'}", schemas[ModelSchemaNames.Quantity]);
        Json.Equal("{'type':'string','format':'int-or-string'}", schemas[ModelSchemaNames.IntOrString]);
        Json.Equal("{'type':'string','format':'date-time'}", schemas[ModelSchemaNames.Time]);
        JsonObject limits = schemas["io.k8s.api.core.v1.ResourceRequirements"]!["properties"]!["limits"]!.AsObject();
        Assert.Equal("object", (string?)limits["type"]);
        Assert.Equal(ModelSchemaNames.Quantity, RefName(limits["additionalProperties"]!.AsObject()));
    }

    [Fact]
    public void Every_reference_resolves_within_its_document()
    {
        foreach (GroupVersionDocument served in BuiltIns.Documents.Values)
        {
            JsonObject document = Parse(served.Json);
            JsonObject schemas = Schemas(document);
            foreach (string reference in References(document))
            {
                Assert.StartsWith("#/components/schemas/", reference);
                Assert.True(schemas.ContainsKey(reference["#/components/schemas/".Length..]), $"{served.Path}: {reference}");
            }
        }
    }

    [Fact]
    public void Every_patch_lists_field_validation_and_the_patch_types()
    {
        foreach (GroupVersionDocument served in BuiltIns.Documents.Values)
        {
            foreach ((string path, _, JsonObject patch) in Operations(Parse(served.Json)).Where(o => o.Method == "patch"))
            {
                Assert.Subset(ParameterNames(patch).ToHashSet(), new HashSet<string> { "fieldValidation", "fieldManager", "dryRun", "force" });
                Assert.Equal(
                    ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"],
                    patch["requestBody"]!["content"]!.AsObject().Select(c => c.Key).Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void Every_post_and_put_lists_field_validation()
    {
        foreach (GroupVersionDocument served in BuiltIns.Documents.Values)
        {
            foreach ((string path, _, JsonObject operation) in Operations(Parse(served.Json)).Where(o => o.Method is "post" or "put"))
            {
                Assert.Subset(ParameterNames(operation).ToHashSet(), new HashSet<string> { "fieldValidation", "fieldManager", "dryRun" });
            }
        }
    }

    [Fact]
    public void Namespace_patch_lists_field_validation()
    {
        // kubectl decides from this operation whether it may send fieldValidation for custom resources.
        JsonObject document = Parse(BuiltIns.Find("api/v1")!.Json);

        JsonObject patch = document["paths"]!["/api/v1/namespaces/{name}"]!["patch"]!.AsObject();

        Assert.Contains("fieldValidation", ParameterNames(patch));
        Assert.Equal("patchCoreV1Namespace", (string?)patch["operationId"]);
        Json.Equal("{'group':'','version':'v1','kind':'Namespace'}", patch["x-kubernetes-group-version-kind"]);
    }

    [Theory]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods", "get", "listCoreV1NamespacedPod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods", "post", "createCoreV1NamespacedPod")]
    [InlineData("api/v1", "/api/v1/pods", "get", "listCoreV1PodForAllNamespaces")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "delete", "deleteCoreV1NamespacedPod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/status", "patch", "patchCoreV1NamespacedPodStatus")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/eviction", "post", "createCoreV1NamespacedPodEviction")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/binding", "post", "createCoreV1NamespacedPodBinding")]
    [InlineData("api/v1", "/api/v1/nodes/{name}", "put", "replaceCoreV1Node")]
    [InlineData("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "put", "replaceAppsV1NamespacedDeploymentScale")]
    [InlineData("apis/networking.k8s.io/v1", "/apis/networking.k8s.io/v1/ingressclasses/{name}", "get", "readNetworkingV1IngressClass")]
    public void Operations_are_named_as_kube_apiserver_names_them(string document, string path, string method, string operationId)
    {
        JsonObject operation = Parse(BuiltIns.Find(document)!.Json)["paths"]![path]![method]!.AsObject();

        Assert.Equal(operationId, (string?)operation["operationId"]);
    }

    [Fact]
    public void Scale_subresource_speaks_autoscaling_Scale()
    {
        JsonObject document = Parse(BuiltIns.Find("apis/apps/v1")!.Json);

        JsonObject get = document["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]!["get"]!.AsObject();

        Assert.Equal("io.k8s.api.autoscaling.v1.Scale", RefName(get["responses"]!["200"]!["content"]!["application/json"]!["schema"]!.AsObject()));
        Json.Equal("{'group':'autoscaling','version':'v1','kind':'Scale'}", get["x-kubernetes-group-version-kind"]);
    }

    [Fact]
    public void Group_versions_without_known_types_get_no_document()
    {
        var registry = ResourceRegistry.CreateWithBuiltIns();
        registry.Register(new ResourceDefinition
        {
            Group = "example.com", Version = "v1", Kind = "Widget", Plural = "widgets", Singular = "widget", Namespaced = true,
        });

        OpenApiDocuments documents = OpenApiDocuments.Build(registry.Snapshot);

        Assert.Null(documents.Find("apis/example.com/v1"));
        Assert.Null(Parse(documents.Index)["paths"]!["apis/example.com/v1"]);
    }
}
