namespace Orchestrator.Storage.State;

/// <summary>One page of a prefix list, consistent at <see cref="Revision"/>; <see cref="More"/> when it was cut by the limit.</summary>
public sealed record ListPage(IReadOnlyList<KeyValue> Items, long Revision, bool More);
