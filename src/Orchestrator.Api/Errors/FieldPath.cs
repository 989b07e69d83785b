using System.Text;

namespace Orchestrator.Api.Errors;

/// <summary>
/// An immutable path to a field, printed the way Kubernetes prints it in validation errors:
/// <c>spec.containers[0].image</c>, <c>metadata.labels[app]</c>.
/// </summary>
/// <remarks>Built by appending to a parent, so validators can pass a path down without copying.</remarks>
public sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string _segment;
    private readonly bool _bracketed;

    private FieldPath(FieldPath? parent, string segment, bool bracketed)
    {
        _parent = parent;
        _segment = segment;
        _bracketed = bracketed;
    }

    /// <summary>A path starting at <paramref name="name"/>, followed by more child names.</summary>
    public static FieldPath Root(string name, params string[] more)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = new FieldPath(null, name, bracketed: false);
        return more.Length == 0 ? path : path.Child(more[0], more[1..]);
    }

    public FieldPath Child(string name, params string[] more)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = new FieldPath(this, name, bracketed: false);
        foreach (string next in more)
        {
            path = new FieldPath(path, next, bracketed: false);
        }

        return path;
    }

    /// <summary>A list element: <c>containers[2]</c>.</summary>
    public FieldPath Index(int index) => new(this, index.ToString(System.Globalization.CultureInfo.InvariantCulture), bracketed: true);

    /// <summary>A map entry: <c>labels[app]</c>.</summary>
    public FieldPath Key(string key) => new(this, key, bracketed: true);

    public override string ToString()
    {
        var segments = new Stack<FieldPath>();
        for (FieldPath? p = this; p is not null; p = p._parent)
        {
            segments.Push(p);
        }

        var text = new StringBuilder();
        foreach (FieldPath p in segments)
        {
            if (p._bracketed)
            {
                text.Append('[').Append(p._segment).Append(']');
            }
            else
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                text.Append(p._segment);
            }
        }

        return text.ToString();
    }
}
