using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Registry;
using static Orchestrator.Api.Tests.OpenApi.OpenApiJson;

namespace Orchestrator.Api.Tests.OpenApi;

public sealed class ModelDocumentationTests
{
    private const string Xml = """
        <?xml version="1.0"?>
        <doc>
          <members>
            <member name="T:k8s.Models.V1Pod">
              <summary>
              Pod is a collection of containers
              that can run on a host. See <see cref="T:k8s.Models.V1PodSpec"/>.
              </summary>
            </member>
            <member name="P:k8s.Models.V1PodSpec.Containers"><summary>List of containers.</summary></member>
            <member name="T:k8s.Kubernetes"><summary>The client, not a model.</summary></member>
          </members>
        </doc>
        """;

    private static ModelDocumentation Docs() => ModelDocumentation.FromXml(new MemoryStream(Encoding.UTF8.GetBytes(Xml)));

    [Fact]
    public void Reads_model_summaries_as_single_lines()
    {
        ModelDocumentation docs = Docs();

        Assert.Equal("Pod is a collection of containers that can run on a host. See .", docs.Of(typeof(V1Pod)));
        Assert.Equal("List of containers.", docs.Of(typeof(V1PodSpec).GetProperty(nameof(V1PodSpec.Containers))!));
        Assert.Null(docs.Of(typeof(V1PodSpec)));
    }

    [Fact]
    public void Documents_carry_the_descriptions()
    {
        OpenApiDocuments documents = OpenApiDocuments.Build(ResourceRegistry.CreateWithBuiltIns().Snapshot, Docs());
        JsonObject document = Parse(documents.Find("api/v1")!.Json);

        JsonObject pod = Schemas(document)["io.k8s.api.core.v1.Pod"]!.AsObject();
        JsonObject containers = Schemas(document)["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!.AsObject();

        Assert.StartsWith("Pod is a collection", (string?)pod["description"]);
        Assert.Equal("List of containers.", (string?)containers["description"]);
    }
}
