using System.Collections.Concurrent;

namespace Orchestrator.Controllers.Runtime;

/// <summary>
/// Names of objects a controller created that its cache has not shown yet, per owner (client-go's
/// expectations, reduced to what the job controller needs): without them a reconcile racing the watch
/// would count too few pods and create more. An entry is forgotten once seen, or after a timeout so a
/// lost event cannot block the owner forever.
/// </summary>
internal sealed class CreationExpectations(TimeProvider clock)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, DateTimeOffset>> pending = new(StringComparer.Ordinal);

    public void Created(string owner, string name) =>
        pending.GetOrAdd(owner, _ => new(StringComparer.Ordinal))[name] = clock.GetUtcNow();

    /// <summary>How many created objects the cache does not show yet, given the names it does show.</summary>
    public int Unseen(string owner, IReadOnlySet<string> seen)
    {
        if (!pending.TryGetValue(owner, out var names))
            return 0;
        var now = clock.GetUtcNow();
        foreach (var (name, created) in names)
        {
            if (seen.Contains(name) || now - created > Timeout)
                names.TryRemove(name, out _);
        }
        return names.Count;
    }

    public void Forget(string owner) => pending.TryRemove(owner, out _);
}
