namespace Orchestrator.Api.Errors;

/// <summary>
/// A failure that the API server answers with a Status body. Thrown at boundaries (decoding,
/// validation, storage result translation) and mapped to a response in one place; the factory
/// methods in ApiException.Factories.cs produce the exact messages kubectl users know.
/// </summary>
public sealed partial class ApiException : Exception
{
    public ApiException(Status status)
        : base(status?.Message)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
    }

    public ApiException(Status status, Exception? inner)
        : base(status?.Message, inner)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
    }

    public Status Status { get; }

    public int Code => Status.Code;

    public string Reason => Status.Reason;

    public StatusDetails? Details => Status.Details;
}
