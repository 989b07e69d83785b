namespace Orchestrator.Storage.State;

/// <summary>
/// FASTER has no ordered scan, so the set of live user keys is kept here in order for prefix lists.
/// Not thread-safe: the state machine guards it with its reader/writer lock.
/// </summary>
internal sealed class KeyIndex
{
    private readonly SortedSet<string> keys = new(StringComparer.Ordinal);

    public int Count => keys.Count;

    public void Add(string key) => keys.Add(key);

    public void Remove(string key) => keys.Remove(key);

    public void Clear() => keys.Clear();

    /// <summary>Keys starting with <paramref name="prefix"/>, in order, strictly after <paramref name="startAfter"/> when given.</summary>
    public IEnumerable<string> Range(string prefix, string? startAfter)
    {
        if (keys.Count == 0)
            return [];
        var lower = startAfter is not null && string.CompareOrdinal(startAfter, prefix) > 0 ? startAfter : prefix;
        var upper = prefix + char.MaxValue;
        if (string.CompareOrdinal(lower, upper) > 0)
            return [];
        var view = keys.GetViewBetween(lower, upper);
        return startAfter is null ? view : view.Where(k => !string.Equals(k, startAfter, StringComparison.Ordinal));
    }
}
