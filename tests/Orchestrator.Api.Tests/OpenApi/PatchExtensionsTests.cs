using System.Text.Json.Nodes;
using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Patching;
using Orchestrator.Api.Registry;
using static Orchestrator.Api.Tests.OpenApi.OpenApiJson;

namespace Orchestrator.Api.Tests.OpenApi;

/// <summary>The documents' patch extensions say what the server's own strategic merge does.</summary>
public sealed class PatchExtensionsTests
{
    private static readonly OpenApiDocuments BuiltIns = OpenApiDocuments.Build(ResourceRegistry.CreateWithBuiltIns().Snapshot);

    [Theory]
    [InlineData("api/v1", "", "Pod", "spec.containers")]
    [InlineData("api/v1", "", "Pod", "spec.volumes")]
    [InlineData("api/v1", "", "Pod", "spec.tolerations")]
    [InlineData("api/v1", "", "Pod", "metadata.ownerReferences")]
    [InlineData("api/v1", "", "Pod", "metadata.finalizers")]
    [InlineData("api/v1", "", "Pod", "status.conditions")]
    [InlineData("api/v1", "", "Service", "spec.ports")]
    [InlineData("api/v1", "", "Node", "status.addresses")]
    [InlineData("apis/apps/v1", "apps", "Deployment", "spec.template.spec.containers")]
    [InlineData("apis/apps/v1", "apps", "Deployment", "status.conditions")]
    [InlineData("apis/batch/v1", "batch", "CronJob", "spec.jobTemplate.spec.template.spec.initContainers")]
    public void Agree_with_the_servers_patch_schema(string path, string group, string kind, string field)
    {
        JsonObject document = Parse(BuiltIns.Find(path)!.Json);
        JsonObject schema = Schemas(document)[SchemaNameOfKind(document, group, "v1", kind)!]!.AsObject();
        string[] segments = field.Split('.');
        JsonObject property = schema;
        foreach (string segment in segments)
        {
            property = schema["properties"]![segment]!.AsObject();
            schema = Resolve(document, property);
        }

        ListMergeStrategy expected = KubernetesPatchSchema.Lookup(segments);

        Assert.Equal(expected.Kind == ListMergeKind.Replace ? null : "merge", ((string?)property[PatchExtensions.Strategy])?.Split(',')[0]);
        Assert.Equal(expected.MergeKey, (string?)property[PatchExtensions.MergeKey]);
    }
}
