using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Patching;

/// <summary>
/// A patch that could not be applied. Patching code knows nothing about HTTP; the server calls
/// <see cref="ToApiException"/> at its boundary (400 for malformed patches, 422 otherwise, as
/// kube-apiserver does).
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException(PatchErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public PatchErrorKind Kind { get; }

    public ApiException ToApiException() => Kind == PatchErrorKind.Malformed
        ? ApiException.BadRequest(Message)
        : new ApiException(Status.Failed(422, StatusReasons.Invalid, Message), this);

    internal static PatchException Malformed(string message) => new(PatchErrorKind.Malformed, message);

    internal static PatchException Unprocessable(string message) => new(PatchErrorKind.Unprocessable, message);
}
