using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Http;

/// <summary>Writes JSON bodies and Status errors the way kube-apiserver does.</summary>
public static class ApiResponses
{
    /// <summary>Kubernetes does not escape '<', '>', '&amp;' or '"' as \u sequences; neither do we.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode body, string contentType = "application/json")
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, Writer);
        body.WriteTo(writer);
        await EndBodyAsync(context, writer, context.RequestAborted);
    }

    /// <summary>
    /// Flushes a JSON body and ends it with a newline, as Kubernetes' serializer (Go's json.Encoder) does; every JSON
    /// body written through a <see cref="Utf8JsonWriter"/> ends here. Watch lines have their own newline per event.
    /// </summary>
    public static async Task EndBodyAsync(HttpContext context, Utf8JsonWriter writer, CancellationToken token)
    {
        writer.Flush();
        var output = context.Response.BodyWriter;
        output.Write("\n"u8);
        await output.FlushAsync(token);
    }

    public static Task WriteStatusAsync(HttpContext context, ApiException error)
    {
        var retry = error.Status.Details?.RetryAfterSeconds ?? 0;
        if (retry > 0)
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteJsonAsync(context, error.Code, error.Status.ToJson());
    }

    /// <summary>The body kube-apiserver sends for a successful delete of something that is gone at once.</summary>
    public static JsonObject Success(string? name, string group, string kind, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind, ["uid"] = uid },
    };
}
