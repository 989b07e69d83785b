namespace Orchestrator.Storage.Watch;

/// <summary>
/// Events for one watcher, in revision order. <see cref="ProgressRevision"/> is the revision the watcher
/// has seen everything up to; a batch with no events is a progress notification (bookmark).
/// </summary>
public sealed record WatchBatch(IReadOnlyList<WatchEvent> Events, long ProgressRevision);
