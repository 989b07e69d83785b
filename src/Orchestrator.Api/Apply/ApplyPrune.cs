using System.Text.Json.Nodes;

namespace Orchestrator.Api.Apply;

/// <summary>
/// Removes fields an applier stopped applying. A dropped list item or map that still holds fields
/// owned by someone stays (only the dropped fields inside it go), as structured-merge-diff adds
/// owned items back after pruning. Maps and lists emptied by the removal go too, unless owned.
/// </summary>
internal static class ApplyPrune
{
    public static void Remove(JsonObject obj, FieldSet dropped, FieldSet owned)
    {
        // Parents first: a whole dropped item goes at once, before its key field could be removed
        // from under it (after which the item could no longer be found by its key).
        foreach (FieldSetPath path in dropped.Paths)
        {
            if (!owned.HasMemberUnder(path) && !IsKeyOfKeptItem(path))
            {
                RemoveAt(obj, path, 0, owned);
            }
        }
    }

    // An item that stays keeps its key fields, whoever dropped them (kube's EnsureNamedFieldsAreMembers).
    private static bool IsKeyOfKeptItem(FieldSetPath path)
    {
        if (path.Count < 2 || !path.Elements[^2].StartsWith(FieldPathElement.KeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        string last = path.Elements[^1];
        var keys = (JsonObject)JsonNode.Parse(path.Elements[^2][2..])!;
        return last.StartsWith(FieldPathElement.FieldPrefix, StringComparison.Ordinal) && keys.ContainsKey(last[2..]);
    }

    private static void RemoveAt(JsonNode node, FieldSetPath path, int depth, FieldSet owned)
    {
        string element = path.Elements[depth];
        if (Find(node, element) is not { } child)
        {
            return;
        }

        if (depth == path.Count - 1)
        {
            Detach(node, element);
            return;
        }

        int before = Count(child);
        RemoveAt(child, path, depth + 1, owned);
        if (before > 0 && Count(child) == 0 && !owned.Contains(path.Prefix(depth + 1)))
        {
            Detach(node, element);
        }
    }

    private static JsonNode? Find(JsonNode node, string element) =>
        Locate(node, element) switch
        {
            (JsonObject o, string name, _) => o[name],
            (JsonArray a, _, int index) => a[index],
            _ => null,
        };

    private static void Detach(JsonNode node, string element)
    {
        switch (Locate(node, element))
        {
            case (JsonObject o, string name, _):
                o.Remove(name);
                break;
            case (JsonArray a, _, int index):
                a.RemoveAt(index);
                break;
        }
    }

    // Where an element lives in its parent: a property name of an object or an index of a list.
    private static (JsonNode? Container, string? Name, int Index) Locate(JsonNode node, string element)
    {
        string body = element[2..];
        switch (element[..2], node)
        {
            case (FieldPathElement.FieldPrefix, JsonObject o) when o.ContainsKey(body):
                return (o, body, -1);
            case (FieldPathElement.IndexPrefix, JsonArray a) when int.TryParse(body, out int i) && i < a.Count:
                return (a, null, i);
            case (FieldPathElement.ValuePrefix, JsonArray a):
                JsonNode? value = JsonNode.Parse(body);
                return Found(a, a.ToList().FindIndex(e => JsonNode.DeepEquals(e, value)));
            case (FieldPathElement.KeyPrefix, JsonArray a):
                var keys = (JsonObject)JsonNode.Parse(body)!;
                return Found(a, a.ToList().FindIndex(e => e is JsonObject item && keys.All(k => JsonNode.DeepEquals(item[k.Key], k.Value))));
            default:
                return (null, null, -1);
        }
    }

    private static (JsonNode? Container, string? Name, int Index) Found(JsonArray list, int index) =>
        index >= 0 ? (list, null, index) : (null, null, -1);

    private static int Count(JsonNode? node) => node switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => -1,
    };
}
