using System.Text.Json.Nodes;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Apply;

/// <summary>
/// Merges an apply configuration into the live object: maps merge, associative lists merge item by
/// item on their key, sets of primitives gain the applied values, atomic lists are replaced. Unlike a
/// strategic merge patch there are no directives; removal happens by ownership (see ApplyPrune).
/// </summary>
internal static class ApplyMerge
{
    public static JsonObject Merge(JsonObject live, JsonObject config, PatchSchema schema) =>
        MergeObject(live, config, [], schema);

    /// <summary>A copy without null-valued fields: an apply configuration that says null owns nothing there.</summary>
    public static JsonObject WithoutNulls(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach ((string name, JsonNode? value) in obj)
        {
            if (value is not null)
            {
                copy[name] = WithoutNulls(value);
            }
        }

        return copy;
    }

    private static JsonNode WithoutNulls(JsonNode node) => node switch
    {
        JsonObject o => WithoutNulls(o),
        JsonArray a => new JsonArray([.. a.Select(e => e is null ? null : WithoutNulls(e))]),
        _ => node.DeepClone(),
    };

    private static JsonObject MergeObject(JsonObject live, JsonObject config, List<string> path, PatchSchema schema)
    {
        var result = (JsonObject)live.DeepClone();
        foreach ((string name, JsonNode? value) in config)
        {
            path.Add(name);
            result[name] = (result[name], value) switch
            {
                (JsonObject l, JsonObject c) => MergeObject(l, c, path, schema),
                (JsonArray l, JsonArray c) => MergeList(l, c, path, schema),
                _ => value?.DeepClone(),
            };
            path.RemoveAt(path.Count - 1);
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray live, JsonArray config, List<string> path, PatchSchema schema)
    {
        ListMergeStrategy strategy = schema.ListStrategy(path);
        var items = live.Select(e => e?.DeepClone()).ToList();
        switch (strategy.Kind)
        {
            case ListMergeKind.MergePrimitives:
                items.AddRange(config.Where(c => !items.Any(e => JsonNode.DeepEquals(e, c))).Select(c => c?.DeepClone()));
                break;
            case ListMergeKind.MergeByKey:
                // Items were checked for their key when the configuration's fields were computed.
                string key = strategy.MergeKey!;
                foreach (JsonObject item in config.OfType<JsonObject>())
                {
                    int index = items.FindIndex(e => e is JsonObject o && JsonNode.DeepEquals(o[key], item[key]));
                    if (index >= 0)
                    {
                        items[index] = MergeObject((JsonObject)items[index]!, item, path, schema);
                    }
                    else
                    {
                        items.Add(item.DeepClone());
                    }
                }

                break;
            default:
                return (JsonArray)config.DeepClone();
        }

        return new JsonArray([.. items]);
    }
}
