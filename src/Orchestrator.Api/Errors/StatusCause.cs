namespace Orchestrator.Api.Errors;

/// <summary>
/// One cause of a failure, e.g. a single invalid field. <see cref="Field"/> uses the
/// field-path syntax kubectl prints ("spec.containers[0].image").
/// </summary>
public sealed record StatusCause(string Reason, string Message, string Field);
