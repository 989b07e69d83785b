using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Defaults and validation of a pod spec, shared by pods and every pod template.</summary>
public static class PodSpecRules
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];

    public static void ApplyDefaults(JsonObject spec)
    {
        spec.Default("restartPolicy", "Always");
        spec.Default("terminationGracePeriodSeconds", 30);
        spec.Default("dnsPolicy", "ClusterFirst");
        spec.Default("schedulerName", "default-scheduler");
        spec.Default("securityContext", new JsonObject());
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in spec.Arr(list)?.OfType<JsonObject>() ?? [])
            {
                var image = container.Str("image") ?? "";
                container.Default("imagePullPolicy", ImageTag(image) is null or "latest" ? "Always" : "IfNotPresent");
                container.Default("terminationMessagePath", "/dev/termination-log");
                container.Default("terminationMessagePolicy", "File");
                container.Default("resources", new JsonObject());
                foreach (var port in container.Arr("ports")?.OfType<JsonObject>() ?? [])
                    port.Default("protocol", "TCP");
                NormalizeResources(container.Obj("resources"));
                ProbeRules.ApplyDefaults(container);
            }
        }
    }

    public static void Validate(JsonObject? spec, FieldPath path, FieldErrorList errors)
    {
        if (spec is null)
        {
            errors.Required(path, "");
            return;
        }
        var containers = spec.Arr("containers");
        if (containers is null || containers.Count == 0)
            errors.Required(path.Child("containers"), "");
        var names = new HashSet<string>();
        foreach (var list in new[] { "initContainers", "containers" })
        {
            var items = spec.Arr(list);
            for (var i = 0; i < (items?.Count ?? 0); i++)
            {
                var at = path.Child(list).Index(i);
                if (items![i] is not JsonObject container)
                {
                    errors.Invalid(at, null, "must be an object");
                    continue;
                }
                ValidateContainer(container, at, names, errors);
            }
        }
        var restart = spec.Str("restartPolicy");
        if (restart is not null && !RestartPolicies.Contains(restart))
            errors.NotSupported(path.Child("restartPolicy"), restart, RestartPolicies);
        if (spec.Long("terminationGracePeriodSeconds") is < 0)
            errors.Invalid(path.Child("terminationGracePeriodSeconds"), spec.Long("terminationGracePeriodSeconds"), "must be greater than or equal to 0");
        if (spec["nodeSelector"] is JsonObject selector)
            ObjectMetaValidation.ValidateLabels(selector, path.Child("nodeSelector"), errors);
    }

    private static void ValidateContainer(JsonObject container, FieldPath at, HashSet<string> names, FieldErrorList errors)
    {
        var name = container.Str("name");
        if (string.IsNullOrEmpty(name))
            errors.Required(at.Child("name"), "");
        else
        {
            foreach (var problem in NameValidation.CheckDns1123Label(name))
                errors.Invalid(at.Child("name"), name, problem);
            if (!names.Add(name))
                errors.Duplicate(at.Child("name"), name);
        }
        if (string.IsNullOrWhiteSpace(container.Str("image")))
            errors.Required(at.Child("image"), "");
        var pull = container.Str("imagePullPolicy");
        if (pull is not null && !PullPolicies.Contains(pull))
            errors.NotSupported(at.Child("imagePullPolicy"), pull, PullPolicies);
        var ports = container.Arr("ports");
        for (var p = 0; p < (ports?.Count ?? 0); p++)
        {
            var port = ports![p] as JsonObject;
            var portPath = at.Child("ports").Index(p);
            var number = port.Long("containerPort");
            if (number is null)
                errors.Required(portPath.Child("containerPort"), "");
            else if (number is < 1 or > 65535)
                errors.Invalid(portPath.Child("containerPort"), number, "must be between 1 and 65535, inclusive");
            var protocol = port.Str("protocol");
            if (protocol is not null && !Protocols.Contains(protocol))
                errors.NotSupported(portPath.Child("protocol"), protocol, Protocols);
        }
        ValidateResources(container.Obj("resources"), at.Child("resources"), errors);
        ProbeRules.Validate(container, at, errors);
    }

    private static void ValidateResources(JsonObject? resources, FieldPath path, FieldErrorList errors)
    {
        foreach (var kind in new[] { "limits", "requests" })
        {
            foreach (var (name, value) in resources.Obj(kind) ?? [])
                QuantityValidation.Validate(value, path.Child(kind).Key(name), errors);
        }
        var limits = resources.Obj("limits");
        foreach (var (name, value) in resources.Obj("requests") ?? [])
        {
            if (limits?[name] is { } limit && Quantity.TryParse(limit.Str(), out var max) && Quantity.TryParse(value.Str(), out var min)
                && min.CompareTo(max) > 0)
                errors.Invalid(path.Child("requests").Key(name), value.Str(), $"must be less than or equal to {name} limit of {limit.Str()}");
        }
    }

    /// <summary>
    /// Canonical quantities in every container's resources anywhere in an object (a server-side apply
    /// configuration), so "1000m" applied over a stored "1" is the same value, not a conflict.
    /// </summary>
    public static void NormalizeQuantities(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (name == "resources" && child is JsonObject resources)
                        NormalizeResources(resources);
                    else
                        NormalizeQuantities(child);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    NormalizeQuantities(item);
                break;
        }
    }

    /// <summary>Quantities are stored in canonical form ("1000m" becomes "1"), as Kubernetes does.</summary>
    private static void NormalizeResources(JsonObject? resources)
    {
        foreach (var kind in new[] { "limits", "requests" })
        {
            if (resources.Obj(kind) is not { } list)
                continue;
            foreach (var name in list.Select(p => p.Key).ToList())
            {
                if (list[name] is JsonValue v && Quantity.TryParse(v.TryGetValue(out string? s) ? s : v.ToJsonString(), out var q))
                    list[name] = q.ToString();
            }
        }
    }

    private static string? ImageTag(string image)
    {
        var withoutDigest = image.Split('@')[0];
        var lastSlash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');
        return colon > lastSlash ? withoutDigest[(colon + 1)..] : image.Contains('@') ? "digest" : null;
    }
}
