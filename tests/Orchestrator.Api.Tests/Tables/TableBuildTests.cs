using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;
using Orchestrator.Api.Tables;
using static Orchestrator.Api.Tests.Tables.TableTestData;

namespace Orchestrator.Api.Tests.Tables;

public sealed class TableBuildTests
{
    private static readonly GroupKind ConfigMap = new("", "ConfigMap");

    private static JsonObject MakeConfigMap() => Json.Object(
        $"{{'apiVersion':'v1','kind':'ConfigMap','metadata':{{'name':'cm','namespace':'default','resourceVersion':'7','creationTimestamp':'{Ago(TimeSpan.FromDays(1))}'}},'data':{{'a':'1'}}}}");

    [Fact]
    public void Builds_the_table_with_list_metadata_and_partial_objects_by_default()
    {
        JsonObject cm = MakeConfigMap();
        JsonObject table = Table.Build(ConfigMap, [cm], "", "42", "next", 3, Now);

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Json.Equal("{'resourceVersion':'42','continue':'next','remainingItemCount':3}", table["metadata"]);
        Json.Equal(
            "[{'name':'Name','type':'string','format':'name','description':'" + CommonColumnsName() + "','priority':0},"
            + "{'name':'Data','type':'string','format':'','description':'Data contains the configuration data.','priority':0},"
            + "{'name':'Age','type':'string','format':'','description':'" + CommonColumnsAge() + "','priority':0}]",
            table["columnDefinitions"]);
        Json.Equal(
            $"[{{'cells':['cm',1,'24h'],'object':{{'kind':'PartialObjectMetadata','apiVersion':'meta.k8s.io/v1','metadata':{{'name':'cm','namespace':'default','resourceVersion':'7','creationTimestamp':'{Ago(TimeSpan.FromDays(1))}'}}}}}}]",
            table["rows"]);
        Assert.Null(cm.Parent);
        Assert.NotNull(cm["metadata"]);
    }

    [Fact]
    public void Metadata_mode_matches_unset()
    {
        JsonObject unset = Table.Build(ConfigMap, [MakeConfigMap()], "", null, null, null, Now);
        JsonObject metadata = Table.Build(ConfigMap, [MakeConfigMap()], TableIncludeObject.Metadata, null, null, null, Now);
        Assert.True(JsonNode.DeepEquals(unset, metadata));
    }

    [Fact]
    public void Object_mode_copies_the_whole_object()
    {
        JsonObject cm = MakeConfigMap();
        JsonObject table = Table.Build(ConfigMap, [cm], TableIncludeObject.Object, null, null, null, Now);
        JsonNode? row = table["rows"]![0]!["object"];
        Assert.True(JsonNode.DeepEquals(cm, row));
        Assert.NotSame(cm, row);
    }

    [Fact]
    public void None_mode_writes_a_null_object_as_kube_does()
    {
        JsonObject table = Table.Build(ConfigMap, [MakeConfigMap()], TableIncludeObject.None, null, null, null, Now);
        JsonObject row = table["rows"]![0]!.AsObject();
        Assert.True(row.ContainsKey("object"));
        Assert.Null(row["object"]);
    }

    [Theory]
    [InlineData("object")]
    [InlineData("All")]
    [InlineData(" None")]
    public void Unknown_include_object_is_a_bad_request(string value)
    {
        ApiException error = Assert.Throws<ApiException>(() => Table.Build(ConfigMap, [], value, null, null, null, Now));
        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.Equal($"unrecognized includeObject value: \"{value}\"", error.Status.Message);
    }

    [Fact]
    public void Empty_metadata_fields_are_omitted_and_empty_lists_have_no_rows()
    {
        JsonObject table = Table.Build(ConfigMap, [], "", "", null, null, Now);
        Json.Equal("{}", table["metadata"]);
        Json.Equal("[]", table["rows"]);

        JsonObject zero = Table.Build(ConfigMap, [], "", "5", "", 0, Now);
        Json.Equal("{'resourceVersion':'5','remainingItemCount':0}", zero["metadata"]);
    }

    [Fact]
    public void Watch_events_after_the_first_have_null_column_definitions()
    {
        JsonObject table = Table.Build(ConfigMap, [MakeConfigMap()], "", "9", null, null, Now, includeColumnDefinitions: false);
        Assert.True(table.ContainsKey("columnDefinitions"));
        Assert.Null(table["columnDefinitions"]);
        Assert.Single(table["rows"]!.AsArray());
    }

    [Fact]
    public void Unknown_kind_prints_name_and_age_like_a_custom_resource()
    {
        GroupKind widget = new("example.com", "Widget");
        Assert.False(TableColumns.HasPrinter(widget));
        Assert.Collection(
            TableColumns.For(widget),
            c => Assert.Equal(new TableColumn("Name", "string", CommonColumnsName(), 0, "name"), c),
            c => Assert.Equal(("Age", "date", 0, ""), (c.Name, c.Type, c.Priority, c.Format)));

        JsonObject obj = Json.Object($"{{'metadata':{{'name':'w1','creationTimestamp':'{Ago(TimeSpan.FromMinutes(7))}'}},'spec':{{}}}}");
        Json.Equal("['w1','7m']", Cells(widget, obj));
        Json.Equal("['w2',null]", Cells(widget, Json.Object("{'metadata':{'name':'w2'}}")));
    }

    [Fact]
    public void Every_built_in_kind_has_a_printer_whose_rows_fill_its_columns()
    {
        foreach (ResourceDefinition resource in BuiltInResources.All)
        {
            Assert.True(TableColumns.HasPrinter(resource.GroupKind), $"{resource.GroupKind} has no printer");
            var columns = TableColumns.For(resource.GroupKind);
            Assert.Single(columns, c => c.Format == "name");
            Assert.All(columns, c => Assert.Contains(c.Type, new[] { "string", "integer", "boolean", "date" }));

            // Even an empty object prints: a stored object never makes a list fail.
            Assert.Equal(columns.Length, Cells(resource.GroupKind, new JsonObject()).Count);
        }
    }

    private static string CommonColumnsName() => Escape(TableColumns.For(ConfigMap)[0].Description);

    private static string CommonColumnsAge() => Escape(TableColumns.For(ConfigMap)[2].Description);

    // Json.Parse turns single quotes into double quotes; descriptions hold neither, only newlines.
    private static string Escape(string text) => text.Replace("\n", "\\n");
}
