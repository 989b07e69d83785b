using System.Text.Json.Serialization;

namespace Orchestrator.Chaos.Checkers;

/// <summary>A checker's answer. Unknown (the search ran out of time) is never reported as valid.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    Ok,
    Illegal,
    Unknown,
}
