using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Errors;

// Factories mirror k8s.io/apimachinery/pkg/api/errors: same codes, reasons, details and message
// text, because clients match on them (kubectl prints the message verbatim; client-go decides
// retries from reason and code).
public sealed partial class ApiException
{
    /// <summary>The text kube-apiserver uses for a failed resourceVersion precondition.</summary>
    public const string ObjectModifiedMessage =
        "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException NotFound(GroupResource resource, string name) =>
        Failure(404, StatusReasons.NotFound, $"{resource} \"{name}\" not found", ResourceDetails(resource, name));

    public static ApiException AlreadyExists(GroupResource resource, string name) =>
        Failure(409, StatusReasons.AlreadyExists, $"{resource} \"{name}\" already exists", ResourceDetails(resource, name));

    /// <summary>A failed precondition; by default the stale-resourceVersion text kubectl replace shows.</summary>
    public static ApiException Conflict(GroupResource resource, string name, string detail = ObjectModifiedMessage) =>
        Failure(
            409,
            StatusReasons.Conflict,
            $"Operation cannot be fulfilled on {resource} \"{name}\": {detail}",
            ResourceDetails(resource, name));

    /// <summary>
    /// 409 from server-side apply: fields owned by other managers would change. The causes name each
    /// field (reason FieldManagerConflict); there is no object in the details, as in kube.
    /// </summary>
    public static ApiException ApplyConflict(IReadOnlyList<StatusCause> causes, string message)
    {
        ArgumentNullException.ThrowIfNull(causes);
        return Failure(409, StatusReasons.Conflict, message, new StatusDetails { Causes = [.. causes] });
    }

    /// <summary>422 with one cause per field error; see <see cref="FieldErrorList"/>.</summary>
    public static ApiException Invalid(GroupKind kind, string name, IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string message = errors.Count == 0
            ? $"{kind} \"{name}\" is invalid"
            : $"{kind} \"{name}\" is invalid: {FieldError.Aggregate(errors)}";
        var details = new StatusDetails
        {
            Name = name,
            Group = kind.Group,
            Kind = kind.Kind,
            Causes = [.. errors.Select(e => e.ToCause())],
        };
        return Failure(422, StatusReasons.Invalid, message, details);
    }

    public static ApiException BadRequest(string message) =>
        Failure(400, StatusReasons.BadRequest, message);

    /// <summary>410 Expired: the client must relist (reflectors do so on exactly this reason).</summary>
    public static ApiException Expired(string message) =>
        Failure(410, StatusReasons.Expired, message);

    /// <summary>A watch or list from a revision already compacted away.</summary>
    public static ApiException TooOldResourceVersion(long requested, long oldestAvailable) =>
        Expired($"too old resource version: {requested} ({oldestAvailable})");

    public static ApiException Gone(string message) =>
        Failure(410, StatusReasons.Gone, message);

    public static ApiException TooManyRequests(string message, int retryAfterSeconds = 0) =>
        Failure(
            429,
            StatusReasons.TooManyRequests,
            message,
            retryAfterSeconds > 0 ? new StatusDetails { RetryAfterSeconds = retryAfterSeconds } : null);

    public static ApiException ServiceUnavailable(string message, int retryAfterSeconds = 0) =>
        Failure(
            503,
            StatusReasons.ServiceUnavailable,
            message,
            retryAfterSeconds > 0 ? new StatusDetails { RetryAfterSeconds = retryAfterSeconds } : null);

    public static ApiException UnsupportedMediaType(IEnumerable<string> acceptedMediaTypes) =>
        Failure(
            415,
            StatusReasons.UnsupportedMediaType,
            "the body of the request was in an unknown format - accepted media types include: "
                + string.Join(", ", acceptedMediaTypes));

    /// <summary>415 with a specific message, e.g. a media type accepted only for some kinds.</summary>
    public static ApiException UnsupportedMediaType(string message) =>
        Failure(415, StatusReasons.UnsupportedMediaType, message);

    /// <summary>405 for a verb a resource does not support, e.g. "deletecollection".</summary>
    public static ApiException MethodNotAllowed(GroupResource resource, string action) =>
        Failure(
            405,
            StatusReasons.MethodNotAllowed,
            $"{action} is not supported on resources of kind \"{resource}\"",
            new StatusDetails { Group = resource.Group, Kind = resource.Resource });

    /// <summary>
    /// 403. <paramref name="reason"/> is the authorizer's sentence, e.g.
    /// <c>User "x" cannot list resource "pods" in API group "" in the namespace "default"</c>.
    /// </summary>
    public static ApiException Forbidden(GroupResource resource, string name, string reason)
    {
        string subject = string.IsNullOrEmpty(name) ? $"{resource}" : $"{resource} \"{name}\"";
        return Failure(403, StatusReasons.Forbidden, $"{subject} is forbidden: {reason}", ResourceDetails(resource, name));
    }

    public static ApiException Unauthorized(string message = "Unauthorized") =>
        Failure(401, StatusReasons.Unauthorized, message);

    public static ApiException InternalError(string message) =>
        Failure(500, StatusReasons.InternalError, $"Internal error occurred: {message}");

    /// <summary>504: the request could not finish in time, e.g. waiting for a commit.</summary>
    public static ApiException Timeout(string message, int retryAfterSeconds = 0) =>
        Failure(
            504,
            StatusReasons.Timeout,
            message,
            retryAfterSeconds > 0 ? new StatusDetails { RetryAfterSeconds = retryAfterSeconds } : null);

    private static ApiException Failure(int code, string reason, string message, StatusDetails? details = null) =>
        new(Status.Failed(code, reason, message, details));

    private static StatusDetails ResourceDetails(GroupResource resource, string name) =>
        new() { Name = name, Group = resource.Group, Kind = resource.Resource };
}
