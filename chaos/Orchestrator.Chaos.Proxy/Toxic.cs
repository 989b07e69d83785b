using System.Text.Json.Nodes;

namespace Orchestrator.Chaos.Proxy;

/// <summary>
/// One toxic as Toxiproxy defines it: a named fault of a type on one direction of a proxy's links ("upstream" is
/// client to server, "downstream" server to client), applied to a link with probability <see cref="Toxicity"/>.
/// Immutable: an update replaces it, and links pick up the new one at their next chunk.
/// </summary>
public sealed record Toxic(string Name, string Type, string Stream, double Toxicity, JsonObject Attributes)
{
    /// <summary>The toxic types and their attributes with defaults (Toxiproxy's names and units: ms, KB/s, bytes).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Types = new Dictionary<string, IReadOnlyDictionary<string, long>>
    {
        ["latency"] = new Dictionary<string, long> { ["latency"] = 0, ["jitter"] = 0 },
        ["bandwidth"] = new Dictionary<string, long> { ["rate"] = 0 },
        ["slow_close"] = new Dictionary<string, long> { ["delay"] = 0 },
        ["timeout"] = new Dictionary<string, long> { ["timeout"] = 0 },
        ["reset_peer"] = new Dictionary<string, long> { ["timeout"] = 0 },
        ["limit_data"] = new Dictionary<string, long> { ["bytes"] = 0 },
    };

    public long Attribute(string name) => Number(Attributes[name]) is { } number ? (long)number : Types[Type][name];

    /// <summary>A JSON number however it was made (parsed text or a CLR int, long or double).</summary>
    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["stream"] = Stream,
        ["toxicity"] = Toxicity,
        ["attributes"] = Attributes.DeepClone(),
    };

    /// <summary>A toxic from the API's JSON, defaults filled in; <paramref name="existing"/> is the one an update changes.</summary>
    public static Toxic FromJson(JsonObject body, Toxic? existing = null)
    {
        var type = Text(body, "type") ?? existing?.Type ?? throw new ProxyApiException(400, "missing required field: type");
        if (!Types.TryGetValue(type, out var known))
            throw new ProxyApiException(400, $"invalid toxic type: {type}");
        var stream = Text(body, "stream") ?? existing?.Stream ?? "downstream";
        if (stream is not ("upstream" or "downstream"))
            throw new ProxyApiException(400, $"invalid stream: {stream} (upstream or downstream)");
        var toxicity = existing?.Toxicity ?? 1.0;
        if (body["toxicity"] is not null)
            toxicity = Number(body["toxicity"]) ?? throw new ProxyApiException(400, "toxicity must be a number");
        if (toxicity is < 0 or > 1)
            throw new ProxyApiException(400, "toxicity must be between 0 and 1");
        var attributes = (JsonObject?)existing?.Attributes.DeepClone() ?? [];
        if (body["attributes"] is JsonObject given)
        {
            foreach (var (name, value) in given)
            {
                if (!known.ContainsKey(name))
                    throw new ProxyApiException(400, $"unknown attribute {name} for a {type} toxic (known: {string.Join(", ", known.Keys)})");
                if (Number(value) is not >= 0)
                    throw new ProxyApiException(400, $"attribute {name} must be a number of at least 0");
                attributes[name] = value.DeepClone();
            }
        }
        foreach (var (name, fallback) in known)
            attributes[name] ??= fallback;
        var toxicName = Text(body, "name") ?? existing?.Name ?? $"{type}_{stream}";
        return new Toxic(toxicName, type, stream, toxicity, attributes);
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
