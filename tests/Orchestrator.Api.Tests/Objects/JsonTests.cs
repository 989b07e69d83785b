using System.Text.Json.Nodes;
using Orchestrator.Api.Objects;

namespace Orchestrator.Api.Tests.Objects;

public sealed class JsonTests
{
    [Fact]
    public void Reads_numbers_whether_parsed_or_built_in_memory()
    {
        // Controllers build status nodes from C# ints and doubles; parsed objects hold JsonElements.
        var built = new JsonObject { ["i"] = 3, ["l"] = 4L, ["d"] = 5.0, ["s"] = (short)6, ["u"] = 7u };
        Assert.Equal(3, built.Long("i"));
        Assert.Equal(4, built.Long("l"));
        Assert.Equal(5, built.Long("d"));
        Assert.Equal(6, built.Long("s"));
        Assert.Equal(7, built.Long("u"));
        Assert.Equal(3, Json.Object("{'i':3}").Long("i"));
        Assert.Null(Json.Object("{'i':'3'}").Long("i"));
        Assert.Null(Json.Object("{'i':3.5}").Long("i"));
        Assert.Null(Json.Object("{'i':1e300}").Long("i"));
    }

    [Fact]
    public void Reads_strings_and_timestamps_built_in_memory()
    {
        var built = new JsonObject { ["t"] = "2025-01-15T11:59:00Z" };
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 11, 59, 0, TimeSpan.Zero), built.Time("t"));
        Assert.Null(new JsonObject { ["t"] = "yesterday" }.Time("t"));
        var typed = new JsonObject { ["t"] = new DateTimeOffset(2025, 1, 15, 11, 58, 0, TimeSpan.Zero) };
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 11, 58, 0, TimeSpan.Zero), typed.Time("t"));
        Assert.Equal("11111111-2222-3333-4444-555555555555", new JsonObject { ["g"] = Guid.Parse("11111111-2222-3333-4444-555555555555") }.Str("g"));
        Assert.Null(Json.Object("{'n':1}").Str("n"));
    }

    [Theory]
    [InlineData("{'v':2}", "2")]
    [InlineData("{'v':'50%'}", "50%")]
    [InlineData("{'v':2.5}", null)]
    [InlineData("{}", null)]
    public void Reads_int_or_string_as_go_prints_it(string json, string? expected) =>
        Assert.Equal(expected, Json.Object(json).IntOrString("v"));

    [Fact]
    public void Counts_members_and_entries_and_reads_string_entries()
    {
        var obj = Json.Object("{'m':{'a':1,'b':2},'a':['x',1,'y'],'s':'z'}");
        Assert.Equal(2, obj.Count("m"));
        Assert.Equal(3, obj.Count("a"));
        Assert.Equal(0, obj.Count("s"));
        Assert.Equal(0, obj.Count("missing"));
        Assert.Equal(["x", "y"], obj.Strings("a"));
        Assert.Empty(obj.Strings("m"));
    }

    [Fact]
    public void First_match_and_any_match_conditions_differ_on_duplicates()
    {
        var pod = Json.Object("{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Ready','status':'True'}]}}");
        Assert.False(pod.HasTrueCondition("Ready"));
        Assert.True(pod.AnyTrueCondition("Ready"));
        Assert.False(pod.AnyTrueCondition("Initialized"));
    }

    [Fact]
    public void Reads_creation_timestamp()
    {
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero), Json.Object("{'metadata':{'creationTimestamp':'2025-01-15T00:00:00Z'}}").Created());
        Assert.Null(new JsonObject().Created());
    }
}
