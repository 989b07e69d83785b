using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Selectors;

/// <summary>
/// A parsed label selector: the AND of its requirements. Build it with <see cref="Parse"/>
/// (query-string syntax) or <see cref="FromJson"/> (a LabelSelector object in a spec).
/// </summary>
public sealed partial class LabelSelector
{
    private readonly bool _matchesNothing;

    private LabelSelector(ImmutableArray<LabelRequirement> requirements, bool matchesNothing)
    {
        Requirements = requirements;
        _matchesNothing = matchesNothing;
    }

    /// <summary>The empty selector: matches every object.</summary>
    public static LabelSelector Everything { get; } = new([], matchesNothing: false);

    /// <summary>Matches no object: what a null LabelSelector in a spec means.</summary>
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    /// <summary>Requirements sorted by key, the order in which they print.</summary>
    public ImmutableArray<LabelRequirement> Requirements { get; }

    public bool IsEverything => !_matchesNothing && Requirements.IsEmpty;

    public bool IsNothing => _matchesNothing;

    /// <summary>Parses <c>a=b,c!=d,e in (f,g),!h</c>; throws BadRequest ApiException on bad syntax.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return Create(new LabelSelectorParser(text).Parse());
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels) =>
        Matches(key => labels is not null && labels.TryGetValue(key, out string? v) ? v : null);

    /// <summary>Matches an object's metadata.labels node directly, without copying it.</summary>
    public bool Matches(JsonObject? labels) =>
        Matches(key => labels is not null && labels.TryGetPropertyValue(key, out JsonNode? v)
            && v is JsonValue value && value.TryGetValue(out string? s) ? s : null);

    public bool Matches(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (_matchesNothing)
        {
            return false;
        }

        foreach (LabelRequirement requirement in Requirements)
        {
            if (!requirement.Matches(lookup))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical query-string form; Nothing prints as empty, as in Kubernetes.</summary>
    public override string ToString() => string.Join(",", Requirements);

    internal static LabelSelector Create(IEnumerable<LabelRequirement> requirements)
    {
        // Stable sort: two requirements on one key keep their written order.
        ImmutableArray<LabelRequirement> sorted = [.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal)];
        return sorted.IsEmpty ? Everything : new LabelSelector(sorted, matchesNothing: false);
    }
}
