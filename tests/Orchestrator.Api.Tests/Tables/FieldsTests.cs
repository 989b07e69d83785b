using System.Text.Json.Nodes;
using Orchestrator.Api.Tables;

namespace Orchestrator.Api.Tests.Tables;

public sealed class FieldsTests
{
    [Fact]
    public void Reads_numbers_whether_parsed_or_built_in_memory()
    {
        // Controllers build status nodes from C# ints and doubles; parsed objects hold JsonElements.
        var built = new JsonObject { ["i"] = 3, ["l"] = 4L, ["d"] = 5.0, ["s"] = (short)6, ["u"] = 7u };
        Assert.Equal(3, Fields.Int(built, "i"));
        Assert.Equal(4, Fields.Int(built, "l"));
        Assert.Equal(5, Fields.Int(built, "d"));
        Assert.Equal(6, Fields.Int(built, "s"));
        Assert.Equal(7, Fields.Int(built, "u"));
        Assert.Equal(3, Fields.Int(Json.Object("{'i':3}"), "i"));
        Assert.Equal(0, Fields.Int(Json.Object("{'i':'3'}"), "i"));
        Assert.Null(Fields.IntOrNull(Json.Object("{'i':3.5}"), "i"));
    }

    [Fact]
    public void Reads_timestamps_built_in_memory()
    {
        var built = new JsonObject { ["t"] = "2025-01-15T11:59:00Z" };
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 11, 59, 0, TimeSpan.Zero), Fields.Time(built, "t"));
        Assert.Null(Fields.Time(new JsonObject { ["t"] = "yesterday" }, "t"));
        var typed = new JsonObject { ["t"] = new DateTimeOffset(2025, 1, 15, 11, 58, 0, TimeSpan.Zero) };
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 11, 58, 0, TimeSpan.Zero), Fields.Time(typed, "t"));
    }
}
