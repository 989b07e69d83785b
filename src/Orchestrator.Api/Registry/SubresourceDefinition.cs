using System.Collections.Immutable;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Registry;

/// <summary>
/// A subresource such as deployments/scale: its name, the kind its requests and responses
/// carry (Scale is autoscaling/v1 even under apps), and its verbs.
/// </summary>
public sealed class SubresourceDefinition
{
    public required string Name { get; init; }

    public required GroupVersionKind ResponseKind { get; init; }

    public required ImmutableArray<string> Verbs { get; init; }
}
