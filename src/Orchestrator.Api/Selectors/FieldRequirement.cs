namespace Orchestrator.Api.Selectors;

/// <summary>One term of a field selector, e.g. <c>status.phase!=Failed</c>; the value is unescaped.</summary>
public sealed record FieldRequirement(string Field, FieldOperator Operator, string Value)
{
    /// <summary>An absent field reads as "", so <c>spec.nodeName=</c> selects unscheduled pods.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        string actual = fields.TryGetValue(Field, out string? v) ? v : "";
        bool equal = string.Equals(actual, Value, StringComparison.Ordinal);
        return Operator == FieldOperator.Equals ? equal : !equal;
    }

    public override string ToString() =>
        $"{Field}{(Operator == FieldOperator.Equals ? "=" : "!=")}{FieldSelector.EscapeValue(Value)}";
}
