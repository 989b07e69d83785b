using System.Collections.Immutable;

namespace Orchestrator.Api.Apply;

/// <summary>
/// The path of one owned field: a sequence of <see cref="FieldPathElement"/> keys from the object's
/// root, e.g. ["f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"].
/// </summary>
public sealed class FieldSetPath : IEquatable<FieldSetPath>, IComparable<FieldSetPath>
{
    private readonly int _hash;

    public FieldSetPath(IEnumerable<string> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        Elements = [.. elements];
        var hash = new HashCode();
        foreach (string element in Elements)
        {
            hash.Add(element, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public ImmutableArray<string> Elements { get; }

    public int Count => Elements.Length;

    public FieldSetPath Append(string element) => new(Elements.Add(element));

    public FieldSetPath Prefix(int count) => new(Elements.Take(count));

    /// <summary>True when this path lies strictly under <paramref name="ancestor"/>.</summary>
    public bool IsUnder(FieldSetPath ancestor)
    {
        if (Count <= ancestor.Count)
        {
            return false;
        }

        for (int i = 0; i < ancestor.Count; i++)
        {
            if (!string.Equals(Elements[i], ancestor.Elements[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The form kube prints in conflicts: ".spec.containers[name=\"web\"].image".</summary>
    public override string ToString() => string.Concat(Elements.Select(FieldPathElement.Display));

    public bool Equals(FieldSetPath? other) =>
        other is not null && _hash == other._hash && Elements.SequenceEqual(other.Elements, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as FieldSetPath);

    public override int GetHashCode() => _hash;

    /// <summary>Element by element; a prefix sorts before its extensions, so parents come first.</summary>
    public int CompareTo(FieldSetPath? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (int i = 0; i < Math.Min(Count, other.Count); i++)
        {
            int c = FieldPathElement.Compare(Elements[i], other.Elements[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return Count.CompareTo(other.Count);
    }
}
