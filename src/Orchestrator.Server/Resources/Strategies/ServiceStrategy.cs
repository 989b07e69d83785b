using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Services: port rules, a cluster IP from the service range, node ports for NodePort and LoadBalancer.</summary>
public sealed class ServiceStrategy(ServiceIpAllocator allocator) : ResourceStrategy
{
    private static readonly string[] Types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    /// <summary>Service names become DNS labels and environment variable names: DNS-1035 (start with a letter).</summary>
    public override IReadOnlyList<string> CheckName(string name)
    {
        var problems = NameValidation.CheckDns1123Label(name).ToList();
        if (name.Length > 0 && !char.IsAsciiLetterLower(name[0]) && problems.Count == 0)
            problems.Add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        return problems;
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.Default("type", "ClusterIP");
        spec.Default("sessionAffinity", "None");
        var type = spec.Str("type");
        if (type != "ExternalName")
        {
            spec.Default("internalTrafficPolicy", "Cluster");
            if (spec.Str("clusterIP") != "None")
            {
                spec.Default("ipFamilies", new JsonArray("IPv4"));
                spec.Default("ipFamilyPolicy", "SingleStack");
            }
        }
        if (type is "NodePort" or "LoadBalancer")
            spec.Default("externalTrafficPolicy", "Cluster");
        foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
        {
            port.Default("protocol", "TCP");
            if (port["targetPort"] is null && port["port"] is { } number)
                port["targetPort"] = number.DeepClone();
        }
        obj.Default("status", new JsonObject { ["loadBalancer"] = new JsonObject() });
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        var spec = obj.Child("spec");
        // Allocated fields survive an update that leaves them out (kubectl apply and replace do).
        if (string.IsNullOrEmpty(spec.Str("clusterIP")) && old.Str("spec", "clusterIP") is { } ip)
        {
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        // Node ports carry over only while the type still uses them; a change to ClusterIP drops them.
        if (spec.Str("type") is not ("NodePort" or "LoadBalancer"))
        {
            foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
                port.Remove("nodePort");
            return;
        }
        var oldPorts = old.Arr("spec", "ports")?.OfType<JsonObject>().ToList() ?? [];
        foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
        {
            if (port["nodePort"] is null
                && oldPorts.FirstOrDefault(p => p.Long("port") == port.Long("port") && p.Str("protocol") == port.Str("protocol")) is { } before
                && before["nodePort"] is { } nodePort)
                port["nodePort"] = nodePort.DeepClone();
        }
    }

    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var spec = obj.Obj("spec");
        var path = FieldPath.Root("spec");
        var type = spec.Str("type") ?? "ClusterIP";
        if (!Types.Contains(type))
            errors.NotSupported(path.Child("type"), type, Types);
        if (type == "ExternalName" && string.IsNullOrEmpty(spec.Str("externalName")))
            errors.Required(path.Child("externalName"), "");
        var ports = spec.Arr("ports");
        var headless = spec.Str("clusterIP") == "None";
        if ((ports is null || ports.Count == 0) && type != "ExternalName" && !headless)
            errors.Required(path.Child("ports"), "");
        var names = new HashSet<string>();
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i] as JsonObject;
            var at = path.Child("ports").Index(i);
            var name = port.Str("name");
            if (ports.Count > 1 && string.IsNullOrEmpty(name))
                errors.Required(at.Child("name"), "");
            else if (!string.IsNullOrEmpty(name) && !names.Add(name))
                errors.Duplicate(at.Child("name"), name);
            var number = port.Long("port");
            if (number is null)
                errors.Required(at.Child("port"), "");
            else if (number is < 1 or > 65535)
                errors.Invalid(at.Child("port"), number, "must be between 1 and 65535, inclusive");
            var protocol = port.Str("protocol");
            if (protocol is not null && !Protocols.Contains(protocol))
                errors.NotSupported(at.Child("protocol"), protocol, Protocols);
            switch (port?["targetPort"])
            {
                case JsonValue v when v.TryGetValue(out string? named):
                    if (NameValidation.CheckDns1123Label(named).Count > 0 || named.Length > 15)
                        errors.Invalid(at.Child("targetPort"), named, "must contain only lowercase alphanumerics or '-', at most 15 characters");
                    break;
                case JsonValue v when port.Long("targetPort") is { } target:
                    if (target is < 1 or > 65535)
                        errors.Invalid(at.Child("targetPort"), target, "must be between 1 and 65535, inclusive");
                    break;
            }
            if (port?["nodePort"] is not null && type is "ClusterIP" or "ExternalName")
                errors.Forbidden(at.Child("nodePort"), $"may not be used when `type` is '{type}'");
        }
        if (spec?["selector"] is JsonObject selector)
            ObjectMetaValidation.ValidateLabels(selector, path.Child("selector"), errors);
    }

    public override void ValidateUpdate(JsonObject obj, JsonObject old, FieldErrorList errors)
    {
        Validate(obj, errors);
        var before = old.Str("spec", "clusterIP");
        var after = obj.Str("spec", "clusterIP");
        if (!string.IsNullOrEmpty(before) && before != after && obj.Str("spec", "type") != "ExternalName")
            errors.Invalid(FieldPath.Root("spec", "clusterIPs").Index(0), after, "may not change once set");
    }

    public override async Task BeforeCreateAsync(JsonObject obj, ObjectStore store, CancellationToken token)
    {
        var spec = obj.Child("spec");
        var owner = $"{obj.Namespace()}/{obj.Name()}";
        var type = spec.Str("type");
        var ip = (string?)null;
        var ports = new List<int>();
        try
        {
            if (type != "ExternalName" && spec.Str("clusterIP") != "None")
            {
                ip = await allocator.AllocateIpAsync(spec.Str("clusterIP"), owner, store, token);
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }
            if (type is "NodePort" or "LoadBalancer")
            {
                foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
                {
                    var nodePort = await allocator.AllocateNodePortAsync((int?)port.Long("nodePort"), owner, store, token);
                    ports.Add(nodePort);
                    port["nodePort"] = nodePort;
                }
            }
        }
        catch
        {
            // Give back only what this call took; a requested address that was already taken is someone else's.
            if (ip is not null)
                await allocator.ReleaseIpAsync(ip, store, CancellationToken.None);
            foreach (var port in ports)
                await allocator.ReleaseNodePortAsync(port, store, CancellationToken.None);
            throw;
        }
    }

    public override async Task BeforeUpdateAsync(JsonObject obj, JsonObject old, ObjectStore store, CancellationToken token)
    {
        if (obj.Str("spec", "type") is not ("NodePort" or "LoadBalancer"))
            return;
        var owner = $"{obj.Namespace()}/{obj.Name()}";
        var held = NodePorts(old);
        var taken = new List<int>();
        try
        {
            foreach (var port in obj.Arr("spec", "ports")?.OfType<JsonObject>() ?? [])
            {
                var requested = (int?)port.Long("nodePort");
                if (requested is int kept && held.Contains(kept))
                    continue;
                var nodePort = await allocator.AllocateNodePortAsync(requested, owner, store, token);
                taken.Add(nodePort);
                port["nodePort"] = nodePort;
            }
        }
        catch
        {
            foreach (var port in taken)
                await allocator.ReleaseNodePortAsync(port, store, CancellationToken.None);
            throw;
        }
    }

    public override async Task ReleaseDroppedAsync(JsonObject before, JsonObject after, ObjectStore store, CancellationToken token)
    {
        var still = NodePorts(after);
        foreach (var port in NodePorts(before).Where(p => !still.Contains(p)))
            await allocator.ReleaseNodePortAsync(port, store, token);
    }

    private static HashSet<int> NodePorts(JsonObject service) =>
        [.. (service.Arr("spec", "ports")?.OfType<JsonObject>() ?? []).Select(p => (int?)p.Long("nodePort")).OfType<int>()];

    public override async Task ReleaseAsync(JsonObject obj, ObjectStore store, CancellationToken token)
    {
        var ip = obj.Str("spec", "clusterIP");
        if (!string.IsNullOrEmpty(ip) && ip != "None")
            await allocator.ReleaseIpAsync(ip, store, token);
        foreach (var port in obj.Arr("spec", "ports")?.OfType<JsonObject>() ?? [])
        {
            if (port.Long("nodePort") is { } nodePort)
                await allocator.ReleaseNodePortAsync(nodePort, store, token);
        }
    }
}
