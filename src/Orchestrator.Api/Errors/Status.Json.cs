using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Errors;

// JSON shape of Status, written by hand so field order and omission of empty fields match what
// kube-apiserver sends (kind, apiVersion, metadata, status, message, reason, details, code).
public sealed partial record Status
{
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = Outcome,
        };
        AddIfNotEmpty(json, "message", Message);
        AddIfNotEmpty(json, "reason", Reason);
        if (Details is not null)
        {
            json["details"] = DetailsToJson(Details);
        }

        json["code"] = Code;
        return json;
    }

    /// <summary>Reads a Status from a response body; unknown fields are ignored.</summary>
    public static Status FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new Status
        {
            Outcome = GetString(json, "status"),
            Message = GetString(json, "message"),
            Reason = GetString(json, "reason"),
            Code = json["code"] is JsonValue code && code.TryGetValue(out int c) ? c : 0,
            Details = json["details"] is JsonObject details ? DetailsFromJson(details) : null,
        };
    }

    private static JsonObject DetailsToJson(StatusDetails details)
    {
        var json = new JsonObject();
        AddIfNotEmpty(json, "name", details.Name);
        AddIfNotEmpty(json, "group", details.Group);
        AddIfNotEmpty(json, "kind", details.Kind);
        AddIfNotEmpty(json, "uid", details.Uid);
        if (!details.Causes.IsDefaultOrEmpty)
        {
            var causes = new JsonArray();
            foreach (StatusCause cause in details.Causes)
            {
                var item = new JsonObject();
                AddIfNotEmpty(item, "reason", cause.Reason);
                AddIfNotEmpty(item, "message", cause.Message);
                AddIfNotEmpty(item, "field", cause.Field);
                causes.Add(item);
            }

            json["causes"] = causes;
        }

        if (details.RetryAfterSeconds != 0)
        {
            json["retryAfterSeconds"] = details.RetryAfterSeconds;
        }

        return json;
    }

    private static StatusDetails DetailsFromJson(JsonObject json)
    {
        ImmutableArray<StatusCause> causes = [];
        if (json["causes"] is JsonArray array)
        {
            causes = [.. array.OfType<JsonObject>().Select(c =>
                new StatusCause(GetString(c, "reason"), GetString(c, "message"), GetString(c, "field")))];
        }

        return new StatusDetails
        {
            Name = GetString(json, "name"),
            Group = GetString(json, "group"),
            Kind = GetString(json, "kind"),
            Uid = GetString(json, "uid"),
            Causes = causes,
            RetryAfterSeconds = json["retryAfterSeconds"] is JsonValue r && r.TryGetValue(out int s) ? s : 0,
        };
    }

    private static void AddIfNotEmpty(JsonObject json, string name, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }

    private static string GetString(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue(out string? s) ? s : "";
}
