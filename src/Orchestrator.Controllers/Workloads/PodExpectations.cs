namespace Orchestrator.Controllers.Workloads;

/// <summary>
/// Creations and deletions a ReplicaSet made that its pod cache has not shown yet, as kube's
/// ControllerExpectations: until they are seen (or time out) the cache is behind, and acting on it would
/// create or delete twice.
/// </summary>
public sealed class PodExpectations(TimeProvider clock, TimeSpan timeout)
{
    private readonly object gate = new();
    private readonly Dictionary<string, Entry> entries = [];

    /// <summary>True when nothing is pending for the owner, or what was pending is too old to wait for.</summary>
    public bool Satisfied(string owner)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(owner, out var entry))
                return true;
            if (entry.Adds <= 0 && entry.Deletes.Count == 0 || clock.GetUtcNow() - entry.Since > timeout)
            {
                entries.Remove(owner);
                return true;
            }
            return false;
        }
    }

    public void ExpectCreations(string owner, int count) => Update(owner, e => e.Adds += count);

    public void ExpectDeletion(string owner, string pod) => Update(owner, e => e.Deletes.Add(pod));

    public void CreationObserved(string owner) => Update(owner, e => e.Adds--, create: false);

    public void DeletionObserved(string owner, string pod) => Update(owner, e => e.Deletes.Remove(pod), create: false);

    public void Forget(string owner)
    {
        lock (gate)
            entries.Remove(owner);
    }

    private void Update(string owner, Action<Entry> change, bool create = true)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(owner, out var entry))
            {
                if (!create)
                    return;
                entry = new Entry { Since = clock.GetUtcNow() };
                entries[owner] = entry;
            }
            change(entry);
        }
    }

    private sealed class Entry
    {
        public int Adds;
        public HashSet<string> Deletes { get; } = [];
        public DateTimeOffset Since;
    }
}
