namespace Orchestrator.Client.Events;

/// <summary>
/// A map of at most <paramref name="capacity"/> entries that forgets the least recently used one first, as
/// client-go's golang-lru caches of the event correlator (4096 entries each). Not thread-safe.
/// </summary>
internal sealed class LruCache<TValue>(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TValue Value)> order = new(); // most recent first

    public int Count => map.Count;

    public bool TryGet(string key, out TValue value)
    {
        if (map.TryGetValue(key, out var node))
        {
            order.Remove(node);
            order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(string key, TValue value)
    {
        if (map.TryGetValue(key, out var node))
        {
            node.Value = (key, value);
            order.Remove(node);
            order.AddFirst(node);
            return;
        }
        if (map.Count >= capacity)
        {
            map.Remove(order.Last!.Value.Key);
            order.RemoveLast();
        }
        map[key] = order.AddFirst((key, value));
    }
}
