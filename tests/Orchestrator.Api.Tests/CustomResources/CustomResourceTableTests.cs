using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Tables;
using static Orchestrator.Api.Tests.Tables.TableTestData;

namespace Orchestrator.Api.Tests.CustomResources;

public sealed class CustomResourceTableTests
{
    private static JsonObject Table(ResourceDefinition resource, JsonObject obj) =>
        Api.Tables.Table.Build(resource, [obj], TableIncludeObject.None, "7", null, null, Now);

    [Fact]
    public void Declared_columns_print_after_name_with_their_priority_and_no_extra_age()
    {
        JsonObject table = Table(DatabaseCrd.Resource(), DatabaseCrd.Object());

        Assert.Equal(
            ["Name", "Size", "Version", "Replicas", "Ready", "First", "Age"],
            table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(
            [0, 0, 0, 1, 0, 1, 0],
            table["columnDefinitions"]!.AsArray().Select(c => (int)c!["priority"]!));
        Json.Equal("{'name':'Name','type':'string','format':'name','description':'" + Escape(TableColumns.For(DatabaseCrd.Resource())[0].Description) + "','priority':0}",
            table["columnDefinitions"]![0]);
    }

    [Fact]
    public void Cells_follow_each_json_path_and_type()
    {
        JsonObject obj = DatabaseCrd.Object("{'size':'10Gi','version':'14.5','replicas':3,'users':[{'name':'alice'},{'name':'bob'}]}");
        obj["metadata"]!["creationTimestamp"] = Ago(TimeSpan.FromMinutes(90));
        obj["status"] = Json.Parse("{'conditions':[{'type':'Synced','status':'False'},{'type':'Ready','status':'True'}]}");

        JsonNode cells = Table(DatabaseCrd.Resource(), obj)["rows"]![0]!["cells"]!;

        Json.Equal("['db1','10Gi','14.5',3,'True','alice','90m']", cells);
    }

    [Fact]
    public void Missing_values_are_null_cells()
    {
        JsonObject obj = DatabaseCrd.Object("{'size':'1Gi'}");

        JsonNode cells = Table(DatabaseCrd.Resource(), obj)["rows"]![0]!["cells"]!;

        Json.Equal("['db1','1Gi',null,null,null,null,null]", cells);
    }

    [Fact]
    public void Without_columns_a_custom_resource_prints_name_and_age()
    {
        JsonObject crd = DatabaseCrd.Crd();
        crd["spec"]!["versions"]![0]!.AsObject().Remove("additionalPrinterColumns");
        ResourceDefinition resource = Api.CustomResources.CustomResourceDefinitions.ResourcesOf(crd).Single();
        JsonObject obj = DatabaseCrd.Object();
        obj["metadata"]!["creationTimestamp"] = Ago(TimeSpan.FromSeconds(30));

        JsonObject table = Table(resource, obj);

        Assert.Equal(["Name", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Json.Equal("['db1','30s']", table["rows"]![0]!["cells"]);
    }

    [Fact]
    public void Built_ins_print_the_same_through_either_overload()
    {
        ResourceDefinition pods = BuiltInResources.All.Single(r => r.Kind == "Pod");
        JsonObject pod = Json.Object("{'metadata':{'name':'p'},'status':{'phase':'Running'}}");

        JsonObject byResource = Table(pods, pod);
        JsonObject byKind = Api.Tables.Table.Build(pods.GroupKind, [pod], TableIncludeObject.None, "7", null, null, Now);

        Assert.True(JsonNode.DeepEquals(byKind, byResource));
    }

    [Fact]
    public void Crds_print_name_and_created_at()
    {
        ResourceDefinition crds = BuiltInResources.All.Single(r => r.Plural == "customresourcedefinitions");
        JsonObject crd = DatabaseCrd.Crd();
        crd["metadata"]!["creationTimestamp"] = "2025-01-10T08:30:00Z";

        JsonObject table = Table(crds, crd);

        Assert.Equal(["Name", "Created At"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Json.Equal("['databases.example.com','2025-01-10T08:30:00Z']", table["rows"]![0]!["cells"]);
    }

    private static string Escape(string text) => text.Replace("\n", "\\n");
}
