using System.Text.Json.Serialization;

namespace Orchestrator.Chaos.History;

/// <summary>How an operation ended, as Jepsen records it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Outcome>))]
public enum Outcome
{
    /// <summary>Took effect (a write) or returned a value (a read).</summary>
    Ok,

    /// <summary>Certainly did not take effect (a conflict, a refused connection).</summary>
    Fail,

    /// <summary>Unknown: a timeout or a 5xx; a write may or may not have taken effect, at any time after its call.</summary>
    Info,
}

/// <summary>
/// One client operation: its call and return times (nanoseconds since the run began, one monotonic clock for every
/// client) and what it asked and got. Register operations: read (Output is the value seen, null for absent) and
/// cas (Expected → Value, the Kubernetes update with the resourceVersion of the read that saw Expected).
/// </summary>
public sealed record Operation
{
    public required int Id { get; init; }

    /// <summary>The workload that made it: register, list-append or create-unique.</summary>
    public string Workload { get; init; } = "register";

    /// <summary>The client (one at a time per client, as a Jepsen process).</summary>
    public required int Process { get; init; }

    /// <summary>"read", "cas" (an update with a resourceVersion precondition) or "create".</summary>
    public required string Kind { get; init; }

    public required string Key { get; init; }

    /// <summary>The value a cas writes.</summary>
    public string? Value { get; init; }

    /// <summary>The value a cas expects to replace.</summary>
    public string? Expected { get; init; }

    /// <summary>The value a read returned.</summary>
    public string? Output { get; init; }

    public required Outcome Outcome { get; init; }

    public required long Invoke { get; init; }

    public required long Complete { get; init; }

    /// <summary>The replica the client talked to (1-based).</summary>
    public int Replica { get; init; }

    /// <summary>The resourceVersion an acknowledged write was given (what watches must deliver it at).</summary>
    public long? Revision { get; init; }

    /// <summary>What went wrong, for fail and info.</summary>
    public string? Error { get; init; }
}

/// <summary>A fault as the nemesis applied it: what, to whom, from when to when (same clock as the operations).</summary>
public sealed record FaultWindow(string Kind, string Target, long Start, long End);
