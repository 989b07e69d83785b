namespace Orchestrator.Api.Selectors;

/// <summary>Field selectors only support equality; "=" and "==" both parse to <see cref="Equals"/>.</summary>
public enum FieldOperator
{
    Equals,
    NotEquals,
}
