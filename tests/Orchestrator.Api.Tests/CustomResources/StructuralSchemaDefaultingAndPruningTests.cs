using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;

namespace Orchestrator.Api.Tests.CustomResources;

public sealed class StructuralSchemaDefaultingAndPruningTests
{
    private static readonly StructuralSchema Schema = DatabaseCrd.Schema();

    [Fact]
    public void Defaults_fill_absent_fields_recursively_and_never_overwrite()
    {
        JsonObject obj = DatabaseCrd.Object("{'size':'1Gi','replicas':4}");

        Schema.ApplyDefaults(obj);

        Json.Equal("{'size':'1Gi','replicas':4,'version':'15.1','backup':{'enabled':true}}", obj["spec"]);
    }

    [Fact]
    public void Defaults_are_deep_copies()
    {
        JsonObject first = DatabaseCrd.Object("{'size':'1Gi'}");
        JsonObject second = DatabaseCrd.Object("{'size':'1Gi'}");
        Schema.ApplyDefaults(first);
        Schema.ApplyDefaults(second);

        first["spec"]!["backup"]!["enabled"] = false;

        Assert.True((bool)second["spec"]!["backup"]!["enabled"]!);
        Assert.True(Schema.Child("spec")!.Child("backup")!.Default is JsonObject { Count: 0 });
    }

    [Fact]
    public void Defaults_reach_list_elements_and_leave_metadata_alone()
    {
        StructuralSchema schema = StructuralSchema.Parse(Json.Object(
            "{'type':'object','properties':{'metadata':{'type':'object','properties':{'name':{'type':'string','default':'x'}}},'items':{'type':'array','items':{'type':'object','properties':{'w':{'type':'integer','default':1}}}}}}"));
        JsonObject obj = Json.Object("{'metadata':{},'items':[{},{'w':2}]}");

        schema.ApplyDefaults(obj);

        Json.Equal("{'metadata':{},'items':[{'w':1},{'w':2}]}", obj);
    }

    [Fact]
    public void Prune_removes_unknown_fields_and_reports_their_paths()
    {
        JsonObject obj = DatabaseCrd.Object("{'size':'1Gi','bogus':1,'users':[{'name':'a','x':true}],'labels':{'k':'v'},'extra':{'kept':{'deep':1}}}");
        obj["status"] = Json.Parse("{'replicas':1,'phase':'Ready'}");
        obj["top"] = 1;

        IReadOnlyList<string> pruned = Schema.Prune(obj);

        Assert.Equal(["spec.bogus", "spec.users[0].x", "status.phase", "top"], pruned);
        Json.Equal("{'size':'1Gi','users':[{'name':'a'}],'labels':{'k':'v'},'extra':{'kept':{'deep':1}}}", obj["spec"]);
        Json.Equal("{'replicas':1}", obj["status"]);
        Json.Equal("{'name':'db1','namespace':'default'}", obj["metadata"]);
        Assert.Equal("example.com/v1", (string?)obj["apiVersion"]);
    }

    [Fact]
    public void Unknown_fields_reports_without_changing_the_object()
    {
        JsonObject obj = DatabaseCrd.Object("{'size':'1Gi','bogus':{'a':1}}");
        string before = obj.ToJsonString();

        Assert.Equal(["spec.bogus"], Schema.UnknownFields(obj));
        Assert.Equal(before, obj.ToJsonString());
    }
}
