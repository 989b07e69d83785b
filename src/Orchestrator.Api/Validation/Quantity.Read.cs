using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Validation;

// Reading quantities out of stored objects, for the scheduler's accounting and the node's cgroup limits.
public sealed partial class Quantity
{
    /// <summary>
    /// The quantity in a resource list entry: a string ("100m", "1Gi") or a bare JSON number (resource.Quantity
    /// unmarshals both); null when absent or unparsable (the API server validated it, so callers treat null as "unset").
    /// </summary>
    public static Quantity? Read(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue(out string? text) => TryParse(text, out var quantity) ? quantity : null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => TryParse(v.ToJsonString(), out var quantity) ? quantity : null,
        _ => null,
    };

    /// <summary><see cref="Value"/> saturated to a long (bytes, pod counts): "100Ei" must not wrap around.</summary>
    public long Int64Value => Saturate(Value);

    /// <summary><see cref="MilliValue"/> saturated to a long (millicores).</summary>
    public long Int64MilliValue => Saturate(MilliValue);

    private static long Saturate(BigInteger value) => (long)BigInteger.Clamp(value, long.MinValue, long.MaxValue);
}
