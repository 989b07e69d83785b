using System.Text.Json.Nodes;

namespace Orchestrator.Client;

/// <summary>One page of a LIST: its items, the list's resourceVersion, and the token for the next page.</summary>
public sealed record ListResult(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue)
{
    public static ListResult FromJson(JsonObject list)
    {
        List<JsonObject> items = [];
        if (list["items"] is JsonArray array)
        {
            items.AddRange(array.OfType<JsonObject>());
            array.Clear(); // detaches the items, so callers may put them into other JSON trees
        }
        var metadata = list["metadata"] as JsonObject;
        var resourceVersion = metadata?["resourceVersion"]?.GetValue<string>() ?? "";
        var next = metadata?["continue"]?.GetValue<string>();
        return new ListResult(items, resourceVersion, string.IsNullOrEmpty(next) ? null : next);
    }
}
