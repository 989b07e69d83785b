using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Client.Http;

/// <summary>Turns an error response into the Status it carries, or synthesizes one when the body is not a Status.</summary>
internal static class StatusDecoding
{
    public static async Task<KubeApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken token)
    {
        var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        return ToException(FromBody((int)response.StatusCode, body));
    }

    public static KubeApiException ToException(Status status) =>
        status.Code == (int)HttpStatusCode.Gone ? new ResourceExpiredException(status) : new KubeApiException(status);

    public static Status FromBody(int code, string body)
    {
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Proxies and the HTTP stack answer in plain text; fall through to a synthesized Status.
        }
        if (json is not null && json["kind"]?.GetValue<string>() == "Status")
        {
            var status = Status.FromJson(json);
            return status.Code == 0 ? status with { Code = code } : status;
        }
        return Status.Failed(code, ReasonFor(code), string.IsNullOrWhiteSpace(body) ? $"HTTP {code}" : body.Trim());
    }

    private static string ReasonFor(int code) => code switch
    {
        400 => StatusReasons.BadRequest,
        401 => StatusReasons.Unauthorized,
        403 => StatusReasons.Forbidden,
        404 => StatusReasons.NotFound,
        405 => StatusReasons.MethodNotAllowed,
        406 => StatusReasons.NotAcceptable,
        409 => StatusReasons.Conflict,
        410 => StatusReasons.Expired,
        413 => StatusReasons.RequestEntityTooLarge,
        415 => StatusReasons.UnsupportedMediaType,
        422 => StatusReasons.Invalid,
        429 => StatusReasons.TooManyRequests,
        503 => StatusReasons.ServiceUnavailable,
        504 => StatusReasons.Timeout,
        _ => code >= 500 ? StatusReasons.InternalError : "",
    };
}
