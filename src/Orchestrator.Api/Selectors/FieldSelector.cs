using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Selectors;

/// <summary>
/// A parsed field selector: the AND of equality terms on named fields, e.g.
/// <c>spec.nodeName=node1,status.phase!=Succeeded</c>. Values may escape <c>\,</c> <c>\=</c> <c>\\</c>.
/// </summary>
public sealed class FieldSelector
{
    private FieldSelector(ImmutableArray<FieldRequirement> requirements)
    {
        Requirements = requirements;
    }

    public static FieldSelector Everything { get; } = new([]);

    public ImmutableArray<FieldRequirement> Requirements { get; }

    public bool IsEverything => Requirements.IsEmpty;

    /// <summary>Parses the syntax only; throws BadRequest ApiException on malformed input.</summary>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (string term in SplitUnescaped(text, ','))
        {
            if (term.Length > 0)
            {
                requirements.Add(ParseTerm(text, term));
            }
        }

        return requirements.Count == 0 ? Everything : new FieldSelector([.. requirements]);
    }

    /// <summary>
    /// Parses and checks every field against what the resource supports; an unknown field is
    /// a 400, as kube-apiserver answers "field label not supported".
    /// </summary>
    public static FieldSelector Parse(string? text, IReadOnlySet<string> supportedFields)
    {
        ArgumentNullException.ThrowIfNull(supportedFields);
        FieldSelector selector = Parse(text);
        foreach (FieldRequirement requirement in selector.Requirements)
        {
            if (!supportedFields.Contains(requirement.Field))
            {
                throw ApiException.BadRequest($"field label not supported: {requirement.Field}");
            }
        }

        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (FieldRequirement requirement in Requirements)
        {
            if (!requirement.Matches(fields))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Matches an object through its kind's field function.</summary>
    public bool Matches(JsonObject obj, SelectableFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return IsEverything || Matches(fields.Extract(obj));
    }

    /// <summary>
    /// The value when the selector pins <paramref name="field"/> with "=", e.g. metadata.name=x,
    /// so a store can turn a list into a point read.
    /// </summary>
    public bool TryGetExactMatch(string field, out string value)
    {
        foreach (FieldRequirement requirement in Requirements)
        {
            if (requirement.Operator == FieldOperator.Equals && requirement.Field == field)
            {
                value = requirement.Value;
                return true;
            }
        }

        value = "";
        return false;
    }

    public override string ToString() => string.Join(",", Requirements);

    internal static string EscapeValue(string value) =>
        value.Replace("\\", "\\\\").Replace(",", "\\,").Replace("=", "\\=");

    private static FieldRequirement ParseTerm(string text, string term)
    {
        // The operator is the first unescaped "!=", "==" or "=", tried in that order at each position.
        for (int i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            (string Token, FieldOperator Op)? match = null;
            if (string.CompareOrdinal(term, i, "!=", 0, 2) == 0)
            {
                match = ("!=", FieldOperator.NotEquals);
            }
            else if (string.CompareOrdinal(term, i, "==", 0, 2) == 0)
            {
                match = ("==", FieldOperator.Equals);
            }
            else if (term[i] == '=')
            {
                match = ("=", FieldOperator.Equals);
            }

            if (match is { } found)
            {
                string field = term[..i].Trim();
                if (field.Length == 0)
                {
                    throw Invalid(text, $"field name is empty in '{term}'");
                }

                return new FieldRequirement(field, found.Op, Unescape(text, term[(i + found.Token.Length)..]));
            }
        }

        throw Invalid(text, $"can't understand '{term}'");
    }

    private static string Unescape(string text, string value)
    {
        var result = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\')
            {
                if (i + 1 >= value.Length || value[i + 1] is not ('\\' or ',' or '='))
                {
                    string sequence = i + 1 < value.Length ? value.Substring(i, 2) : "\\";
                    throw Invalid(text, $"invalid escape sequence: {sequence}");
                }

                result.Append(value[++i]);
            }
            else if (c is '=' or ',')
            {
                throw Invalid(text, $"unescaped character '{c}' in value");
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static ApiException Invalid(string text, string detail) =>
        ApiException.BadRequest($"invalid field selector {FieldError.Quote(text)}: {detail}");
}
