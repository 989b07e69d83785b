using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tests;

/// <summary>Test helpers: JSON written with single quotes keeps theory tables readable.</summary>
internal static class Json
{
    public static JsonNode? Parse(string singleQuoted) => JsonNode.Parse(singleQuoted.Replace('\'', '"'));

    public static JsonObject Object(string singleQuoted) => Parse(singleQuoted)!.AsObject();

    /// <summary>Asserts structural equality, showing both documents on failure.</summary>
    public static void Equal(string expectedSingleQuoted, JsonNode? actual)
    {
        JsonNode? expected = Parse(expectedSingleQuoted);
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected {expected?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
    }
}
