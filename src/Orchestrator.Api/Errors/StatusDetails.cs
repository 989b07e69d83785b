using System.Collections.Immutable;

namespace Orchestrator.Api.Errors;

/// <summary>
/// The details block of a Status. <see cref="Kind"/> holds the resource (for NotFound and
/// friends) or the kind (for Invalid), mirroring what kube-apiserver puts there.
/// </summary>
public sealed record StatusDetails
{
    public string Name { get; init; } = "";

    public string Group { get; init; } = "";

    public string Kind { get; init; } = "";

    public string Uid { get; init; } = "";

    public ImmutableArray<StatusCause> Causes { get; init; } = [];

    /// <summary>Seconds the client should wait before retrying; 0 means not set.</summary>
    public int RetryAfterSeconds { get; init; }

    public bool Equals(StatusDetails? other) =>
        other is not null
        && Name == other.Name
        && Group == other.Group
        && Kind == other.Kind
        && Uid == other.Uid
        && RetryAfterSeconds == other.RetryAfterSeconds
        && Causes.SequenceEqual(other.Causes);

    public override int GetHashCode() => HashCode.Combine(Name, Group, Kind, Uid, RetryAfterSeconds, Causes.Length);
}
