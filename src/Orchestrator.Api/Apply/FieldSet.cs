namespace Orchestrator.Api.Apply;

/// <summary>
/// A set of owned fields (structured-merge-diff's fieldpath.Set), immutable. Members are the
/// leaves of an object (scalars, atomic lists, empty maps) plus the items of associative and set
/// lists; a map that merely contains members is not itself a member.
/// </summary>
public sealed partial class FieldSet : IEquatable<FieldSet>
{
    private readonly HashSet<FieldSetPath> _paths;

    public FieldSet(IEnumerable<FieldSetPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = [.. paths];
    }

    public static FieldSet Empty { get; } = new([]);

    public int Count => _paths.Count;

    public bool IsEmpty => _paths.Count == 0;

    /// <summary>The members in structured-merge-diff order (parents before children).</summary>
    public IReadOnlyList<FieldSetPath> Paths => [.. _paths.Order()];

    public bool Contains(FieldSetPath path) => _paths.Contains(path);

    /// <summary>True when some member lies strictly under <paramref name="path"/>.</summary>
    public bool HasMemberUnder(FieldSetPath path) => _paths.Any(p => p.IsUnder(path));

    public FieldSet Union(FieldSet other) => new(_paths.Concat(other._paths));

    public FieldSet Difference(FieldSet other) => new(_paths.Where(p => !other._paths.Contains(p)));

    public FieldSet Intersection(FieldSet other) => new(_paths.Where(other._paths.Contains));

    public bool Equals(FieldSet? other) => other is not null && _paths.SetEquals(other._paths);

    public override bool Equals(object? obj) => Equals(obj as FieldSet);

    public override int GetHashCode() => _paths.Count;

    public override string ToString() => ToJson().ToJsonString();
}
