namespace Orchestrator.Api.Selectors;

/// <summary>Operators of a label requirement. "=" and "==" both parse to <see cref="Equals"/>.</summary>
public enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
