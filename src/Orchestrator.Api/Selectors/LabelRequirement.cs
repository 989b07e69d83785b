using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Api.Selectors;

/// <summary>One term of a label selector, e.g. <c>tier in (web,api)</c>.</summary>
/// <remarks>
/// Values are kept sorted and distinct so two selectors that mean the same print the same
/// (the printed form ends up in Scale.status.selector and in logs).
/// </remarks>
public sealed class LabelRequirement
{
    internal LabelRequirement(string key, LabelOperator op, IEnumerable<string> values)
    {
        Key = key;
        Operator = op;
        Values = [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public string Key { get; }

    public LabelOperator Operator { get; }

    public ImmutableArray<string> Values { get; }

    /// <summary>Whether labels satisfy this term; <paramref name="lookup"/> returns null for an absent label.</summary>
    public bool Matches(Func<string, string?> lookup)
    {
        string? actual = lookup(Key);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => actual is not null && Values.Contains(actual),
            LabelOperator.NotEquals or LabelOperator.NotIn => actual is null || !Values.Contains(actual),
            LabelOperator.Exists => actual is not null,
            LabelOperator.DoesNotExist => actual is null,
            // A label that is not an integer never satisfies a numeric comparison.
            LabelOperator.GreaterThan => TryParseInteger(actual, out long gt) && gt > long.Parse(Values[0], CultureInfo.InvariantCulture),
            LabelOperator.LessThan => TryParseInteger(actual, out long lt) && lt < long.Parse(Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        LabelOperator.Equals => $"{Key}={Values[0]}",
        LabelOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(",", Values)})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        LabelOperator.Exists => Key,
        LabelOperator.DoesNotExist => "!" + Key,
        LabelOperator.GreaterThan => $"{Key}>{Values[0]}",
        LabelOperator.LessThan => $"{Key}<{Values[0]}",
        _ => Key,
    };

    internal static bool TryParseInteger(string? text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
