using Orchestrator.Api.Errors;

namespace Orchestrator.Client;

/// <summary>A non-2xx answer of the API server (or a watch ERROR event), with the Status it carried.</summary>
public class KubeApiException : Exception
{
    public KubeApiException(Status status)
        : base(string.IsNullOrEmpty(status.Message) ? $"{status.Code} {status.Reason}" : status.Message)
    {
        Status = status;
    }

    public Status Status { get; }

    public int Code => Status.Code;

    /// <summary>One of <see cref="StatusReasons"/>, e.g. "Conflict", "NotFound", "AlreadyExists".</summary>
    public string Reason => Status.Reason;
}

/// <summary>410 Gone (reason Expired): the resourceVersion is older than the server's watch window; relist.</summary>
public sealed class ResourceExpiredException(Status status) : KubeApiException(status);
