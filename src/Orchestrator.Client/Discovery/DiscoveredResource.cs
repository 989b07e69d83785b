namespace Orchestrator.Client.Discovery;

/// <summary>
/// One resource the server advertises in discovery (subresources left out): where it lives, its kind and verbs,
/// and whether its version is the group's preferred one (the one to list and watch).
/// </summary>
public sealed record DiscoveredResource(ApiResource Resource, string Kind, IReadOnlyList<string> Verbs, bool Preferred)
{
    public bool Supports(string verb) => Verbs.Contains(verb, StringComparer.Ordinal);
}
