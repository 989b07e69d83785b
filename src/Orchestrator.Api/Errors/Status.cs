namespace Orchestrator.Api.Errors;

/// <summary>
/// The Kubernetes Status object (meta/v1): the body of every error response, of watch ERROR
/// events, and of some successful deletes.
/// </summary>
public sealed partial record Status
{
    public const string Success = "Success";
    public const string Failure = "Failure";

    /// <summary>The "status" field: <see cref="Success"/> or <see cref="Failure"/>.</summary>
    public string Outcome { get; init; } = Failure;

    public string Message { get; init; } = "";

    /// <summary>One of <see cref="StatusReasons"/>, or empty when there is none.</summary>
    public string Reason { get; init; } = "";

    public StatusDetails? Details { get; init; }

    /// <summary>The HTTP status code this Status is sent with.</summary>
    public int Code { get; init; }

    public static Status Failed(int code, string reason, string message, StatusDetails? details = null) =>
        new() { Outcome = Failure, Code = code, Reason = reason, Message = message, Details = details };

    public static Status Succeeded(StatusDetails? details = null) =>
        new() { Outcome = Success, Code = 200, Details = details };
}
