using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Server.Resources;
using Xunit;

namespace Orchestrator.Server.Tests.Resources;

public sealed class StoredJsonTests
{
    [Theory]
    [InlineData("""{"kind":"Pod","metadata":{"name":"a","labels":{"x":"}"}},"spec":{"metadata":{}}}""")]
    [InlineData("""{"metadata":{},"kind":"ConfigMap"}""")]
    [InlineData("""{"kind":"ConfigMap","data":{"metadata":"{\"a\":1}"},"metadata":{"name":"b","annotations":{"k":"v\"}"}}}""")]
    public void Adds_the_revision_as_resourceVersion_of_the_object_metadata_only(string stored)
    {
        var spliced = StoredJson.WithResourceVersion(Encoding.UTF8.GetBytes(stored), 4217);

        var expected = JsonNode.Parse(stored)!.AsObject();
        expected["metadata"]!["resourceVersion"] = "4217";
        var actual = JsonNode.Parse(spliced)!;
        Assert.True(JsonNode.DeepEquals(expected, actual), Encoding.UTF8.GetString(spliced));
    }

    [Fact]
    public void Leaves_an_object_without_metadata_as_it_is()
    {
        var stored = """{"kind":"x","spec":{"metadata":{}}}"""u8.ToArray();
        Assert.Equal(stored, StoredJson.WithResourceVersion(stored, 5));
    }

    [Fact]
    public void A_watch_line_is_one_json_event_and_a_newline()
    {
        var line = StoredJson.WatchLine("MODIFIED", """{"metadata":{"resourceVersion":"3"}}"""u8);

        Assert.Equal((byte)'\n', line[^1]);
        var parsed = JsonNode.Parse(line.AsSpan(0, line.Length - 1))!;
        Assert.Equal("MODIFIED", (string?)parsed["type"]);
        Assert.Equal("3", (string?)parsed["object"]!["metadata"]!["resourceVersion"]);
    }
}
