using System.Text.Json.Nodes;
using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;
using static Orchestrator.Api.Tests.OpenApi.OpenApiJson;

namespace Orchestrator.Api.Tests.CustomResources;

public sealed class CustomResourceOpenApiTests
{
    private static readonly JsonObject Document = Build();

    private static JsonObject Build()
    {
        var registry = ResourceRegistry.CreateWithBuiltIns();
        registry.Register(DatabaseCrd.Resource());
        OpenApiDocuments documents = OpenApiDocuments.Build(registry.Snapshot);
        return Parse(documents.Find("apis/example.com/v1")!.Json);
    }

    [Fact]
    public void The_document_describes_the_custom_resource_with_its_schema()
    {
        Assert.Equal("com.example.v1.Database", SchemaNameOfKind(Document, "example.com", "v1", "Database"));
        JsonObject database = Schemas(Document)["com.example.v1.Database"]!.AsObject();

        Assert.Equal("object", (string?)database["type"]);
        Assert.Equal(["apiVersion", "kind", "metadata", "spec", "status"], database["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", RefName(database["properties"]!["metadata"]!.AsObject()));
        JsonObject spec = database["properties"]!["spec"]!.AsObject();
        Json.Equal("{'type':'string','pattern':'^[0-9]+Gi$'}", spec["properties"]!["size"]);
        Json.Equal("['13.0','14.5','15.1']", spec["properties"]!["version"]!["enum"]);
        Assert.Equal(5, (int?)spec["properties"]!["replicas"]!["maximum"]);
        Json.Equal("['name']", spec["properties"]!["users"]!["x-kubernetes-list-map-keys"]);
        Assert.True((bool?)spec["properties"]!["port"]!["x-kubernetes-int-or-string"]);
        Assert.Equal("com.example.v1.DatabaseList", SchemaNameOfKind(Document, "example.com", "v1", "DatabaseList"));
    }

    [Fact]
    public void Paths_carry_patch_with_field_validation_and_status_and_scale()
    {
        JsonObject paths = Document["paths"]!.AsObject();
        const string item = "/apis/example.com/v1/namespaces/{namespace}/databases/{name}";

        JsonObject patch = paths[item]!["patch"]!.AsObject();
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
        Json.Equal("{'group':'example.com','version':'v1','kind':'Database'}", patch["x-kubernetes-group-version-kind"]);
        Assert.Equal("patchExampleComV1NamespacedDatabase", (string?)patch["operationId"]);
        Assert.NotNull(paths["/apis/example.com/v1/databases"]!["get"]);
        Assert.Equal(
            "com.example.v1.Database",
            RefName(paths[item + "/status"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!.AsObject()));
        Assert.Equal(
            "io.k8s.api.autoscaling.v1.Scale",
            RefName(paths[item + "/scale"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!.AsObject()));
    }

    [Fact]
    public void Every_reference_resolves()
    {
        foreach (string reference in References(Document))
        {
            Assert.True(Schemas(Document).ContainsKey(reference["#/components/schemas/".Length..]), reference);
        }
    }

    [Fact]
    public void Strict_field_validation_uses_the_crd_schema_for_custom_resources()
    {
        JsonObject obj = DatabaseCrd.Object("{'size':'1Gi','bogus':1}");

        Assert.Equal(["spec.bogus"], StrictFieldValidation.UnknownFields(DatabaseCrd.Resource(), obj));
        ResourceDefinition configMaps = BuiltInResources.All.Single(r => r.Kind == "ConfigMap");
        Assert.Equal(["bogus"], StrictFieldValidation.UnknownFields(configMaps, Json.Object("{'data':{'a':'b'},'bogus':1}")));
    }

    [Fact]
    public void The_crd_kind_itself_is_documented_under_apiextensions()
    {
        JsonObject document = Parse(OpenApiDocuments.Build(ResourceRegistry.CreateWithBuiltIns().Snapshot).Find("apis/apiextensions.k8s.io/v1")!.Json);

        Assert.NotNull(SchemaNameOfKind(document, "apiextensions.k8s.io", "v1", "CustomResourceDefinition"));
        Assert.NotNull(document["paths"]!["/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}/status"]);
    }

    [Fact]
    public void OpenApi_3_0_keywords_survive_the_round_trip()
    {
        JsonObject crd = DatabaseCrd.Crd();
        JsonObject spec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
        spec["properties"]!["ratio"] = Json.Parse("{'type':'number','minimum':0,'exclusiveMinimum':true,'nullable':true}");
        var registry = ResourceRegistry.CreateWithBuiltIns();
        registry.Register(Api.CustomResources.CustomResourceDefinitions.ResourcesOf(crd).Single());
        JsonObject document = Parse(OpenApiDocuments.Build(registry.Snapshot).Find("apis/example.com/v1")!.Json);

        JsonNode ratio = Schemas(document)["com.example.v1.Database"]!["properties"]!["spec"]!["properties"]!["ratio"]!;

        Json.Equal("{'type':'number','minimum':0,'exclusiveMinimum':true,'nullable':true}", ratio);
    }
}
