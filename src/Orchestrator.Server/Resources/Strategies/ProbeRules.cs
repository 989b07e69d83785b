using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>
/// Defaults and validation of a container's startup, liveness and readiness probes, as the Kubernetes API does them,
/// so a stored pod shows every timing the node agent will use and a probe it could not run is refused with a 422.
/// </summary>
public static partial class ProbeRules
{
    private static readonly string[] Kinds = ["startupProbe", "livenessProbe", "readinessProbe"];
    private static readonly string[] Handlers = ["exec", "httpGet", "tcpSocket", "grpc"];
    private static readonly string[] Schemes = ["HTTP", "HTTPS"];

    public static void ApplyDefaults(JsonObject container)
    {
        foreach (var kind in Kinds)
        {
            if (container.Obj(kind) is not { } probe)
                continue;
            probe.Default("timeoutSeconds", 1);
            probe.Default("periodSeconds", 10);
            probe.Default("successThreshold", 1);
            probe.Default("failureThreshold", 3);
            if (probe.Obj("httpGet") is { } get)
            {
                get.Default("path", "/");
                get.Default("scheme", "HTTP");
            }
        }
    }

    public static void Validate(JsonObject container, FieldPath at, FieldErrorList errors)
    {
        foreach (var kind in Kinds)
        {
            if (container[kind] is null)
                continue;
            var path = at.Child(kind);
            if (container[kind] is not JsonObject probe)
            {
                errors.Invalid(path, null, "must be an object");
                continue;
            }
            ValidateHandler(probe, path, errors);
            foreach (var field in new[] { "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold" })
            {
                if (probe.Long(field) is < 0 and var negative)
                    errors.Invalid(path.Child(field), negative, "must be greater than or equal to 0");
            }
            // Only readiness can want several successes in a row; the others act on the first.
            if (kind != "readinessProbe" && probe.Long("successThreshold") is { } threshold and not 1)
                errors.Invalid(path.Child("successThreshold"), threshold, "must be 1");
            if (probe.Long("terminationGracePeriodSeconds") is { } grace)
            {
                if (kind == "readinessProbe")
                    errors.Invalid(path.Child("terminationGracePeriodSeconds"), grace, "must not be set for readinessProbes");
                else if (grace <= 0)
                    errors.Invalid(path.Child("terminationGracePeriodSeconds"), grace, "must be greater than 0");
            }
        }
    }

    private static void ValidateHandler(JsonObject probe, FieldPath path, FieldErrorList errors)
    {
        var present = Handlers.Where(h => probe[h] is not null).ToList();
        if (present.Count == 0)
        {
            errors.Required(path, "must specify a handler type");
            return;
        }
        foreach (var extra in present.Skip(1))
            errors.Forbidden(path.Child(extra), "may not specify more than 1 handler type");
        var handler = present[0];
        var at = path.Child(handler);
        if (probe[handler] is not JsonObject body)
        {
            errors.Invalid(at, null, "must be an object");
            return;
        }
        switch (handler)
        {
            case "exec":
                if ((body.Arr("command")?.Count ?? 0) == 0)
                    errors.Required(at.Child("command"), "");
                break;
            case "httpGet":
                ValidatePort(body["port"], at.Child("port"), errors);
                if (body.Str("scheme") is { } scheme && !Schemes.Contains(scheme))
                    errors.NotSupported(at.Child("scheme"), scheme, Schemes);
                break;
            case "tcpSocket":
                ValidatePort(body["port"], at.Child("port"), errors);
                break;
            case "grpc":
                if (body.Long("port") is not (>= 1 and <= 65535))
                    errors.Invalid(at.Child("port"), body["port"]?.ToJsonString(), "must be between 1 and 65535, inclusive");
                break;
        }
    }

    /// <summary>A probe port is a number 1-65535 or the name of one of the container's ports (an IANA service name).</summary>
    private static void ValidatePort(JsonNode? port, FieldPath path, FieldErrorList errors)
    {
        switch (port)
        {
            case null:
                errors.Required(path, "");
                break;
            case JsonValue value when value.TryGetValue(out long number):
                if (number is < 1 or > 65535)
                    errors.Invalid(path, number, "must be between 1 and 65535, inclusive");
                break;
            case JsonValue value when value.TryGetValue(out string? name):
                if (name.Length > 15 || !ServiceName().IsMatch(name) || name.Contains("--", StringComparison.Ordinal))
                    errors.Invalid(path, name, "must contain only lowercase alphanumerics and '-', at most 15 characters, at least one letter, no '--', and begin and end with an alphanumeric");
                break;
            default:
                errors.Invalid(path, port.ToJsonString(), "must be a port number or a port name");
                break;
        }
    }

    [GeneratedRegex("^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex ServiceName();
}
