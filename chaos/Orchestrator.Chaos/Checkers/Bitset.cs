using System.Numerics;

namespace Orchestrator.Chaos.Checkers;

/// <summary>Which operations are linearized so far: the search's cache key together with the model state.</summary>
internal sealed class Bitset(int size) : IEquatable<Bitset>
{
    private readonly ulong[] words = new ulong[(size + 63) / 64];

    public int Count => words.Sum(w => BitOperations.PopCount(w));

    public Bitset Clone()
    {
        var copy = new Bitset(words.Length * 64);
        words.CopyTo(copy.words, 0);
        return copy;
    }

    public Bitset Set(int bit)
    {
        words[bit >> 6] |= 1UL << (bit & 63);
        return this;
    }

    public void Clear(int bit) => words[bit >> 6] &= ~(1UL << (bit & 63));

    public bool Equals(Bitset? other) => other is not null && words.AsSpan().SequenceEqual(other.words);

    public override bool Equals(object? obj) => Equals(obj as Bitset);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in words)
            hash.Add(word);
        return hash.ToHashCode();
    }
}
