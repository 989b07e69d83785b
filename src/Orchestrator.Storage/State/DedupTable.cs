using System.Buffers.Binary;
using Orchestrator.Storage.Commands;

namespace Orchestrator.Storage.State;

/// <summary>
/// Recent command ids with their outcome, part of the replicated state, so that a command proposed
/// twice (a retry after a leader change or a lost reply) applies once. Ids are forgotten
/// deterministically: once <see cref="RetainEntries"/> log entries have passed since theirs.
/// Changes reach FASTER in bulk at checkpoints (<see cref="FlushTo"/>), not on every apply.
/// </summary>
internal sealed class DedupTable(long retainEntries)
{
    private readonly Dictionary<Guid, Entry> entries = new();
    private readonly Queue<(long Index, Guid Id)> order = new();
    private readonly HashSet<Guid> dirty = new();
    private readonly HashSet<Guid> removed = new();

    public long RetainEntries { get; } = retainEntries;

    public int Count => entries.Count;

    public bool TryGet(Guid id, out Entry entry) => entries.TryGetValue(id, out entry);

    public void Add(Guid id, long index, CommandOutcome outcome)
    {
        entries[id] = new Entry(index, outcome);
        order.Enqueue((index, id));
        dirty.Add(id);
        removed.Remove(id);
        Expire(index);
    }

    private void Expire(long currentIndex)
    {
        while (order.TryPeek(out var head) && head.Index <= currentIndex - RetainEntries)
        {
            order.Dequeue();
            entries.Remove(head.Id);
            if (!dirty.Remove(head.Id))
                removed.Add(head.Id);
        }
    }

    public void FlushTo(FasterKvStore store)
    {
        foreach (var id in dirty)
            store.Upsert(SystemKeys.Dedup(id), entries[id].Encode());
        foreach (var id in removed)
            store.Delete(SystemKeys.Dedup(id));
        dirty.Clear();
        removed.Clear();
    }

    public void Clear()
    {
        entries.Clear();
        order.Clear();
        dirty.Clear();
        removed.Clear();
    }

    /// <summary>Restores one id read back from FASTER or a snapshot; call in any order, then <see cref="Sort"/>.</summary>
    public void Load(string key, byte[] value)
    {
        var id = Guid.ParseExact(key.AsSpan(SystemKeys.DedupPrefix.Length), "N");
        entries[id] = Entry.Decode(value);
    }

    /// <summary>Rebuilds the expiry order after loading.</summary>
    public void Sort()
    {
        order.Clear();
        foreach (var (id, entry) in entries.OrderBy(e => e.Value.Index))
            order.Enqueue((entry.Index, id));
    }

    public readonly record struct Entry(long Index, CommandOutcome Outcome)
    {
        public byte[] Encode()
        {
            var buffer = new byte[9];
            BinaryPrimitives.WriteInt64LittleEndian(buffer, Index);
            buffer[8] = (byte)Outcome;
            return buffer;
        }

        public static Entry Decode(byte[] value) =>
            new(BinaryPrimitives.ReadInt64LittleEndian(value), (CommandOutcome)value[8]);
    }
}
