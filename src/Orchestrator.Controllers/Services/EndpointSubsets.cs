using System.Text.Json.Nodes;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Services;

/// <summary>
/// What a service's Endpoints should hold, computed from the service and its pods without I/O: pods are
/// grouped by the ports they resolve to (a named targetPort may differ per pod, or be missing), one
/// subset per group, addresses sorted so that an unchanged set compares equal.
/// </summary>
internal static class EndpointSubsets
{
    public static JsonArray Compute(JsonObject service, IEnumerable<JsonObject> pods)
    {
        var groups = new Dictionary<string, (JsonArray Ports, List<JsonObject> Ready, List<JsonObject> NotReady)>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var ip = pod.Str("status", "podIP");
            if (string.IsNullOrEmpty(ip) || pod.IsDeleting() || PodState.IsTerminal(pod))
                continue;
            var ports = ResolvePorts(service, pod);
            var signature = ports.ToJsonString();
            if (!groups.TryGetValue(signature, out var group))
                groups[signature] = group = (ports, [], []);
            (PodState.IsReady(pod) ? group.Ready : group.NotReady).Add(Address(ip, pod));
        }

        var subsets = new JsonArray();
        foreach (var (_, group) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var subset = new JsonObject();
            if (group.Ready.Count > 0)
                subset["addresses"] = Sorted(group.Ready);
            if (group.NotReady.Count > 0)
                subset["notReadyAddresses"] = Sorted(group.NotReady);
            if (group.Ports.Count > 0)
                subset["ports"] = group.Ports;
            subsets.Add(subset);
        }
        return subsets;
    }

    /// <summary>The service's ports as this pod serves them; a port whose named targetPort the pod lacks is left out.</summary>
    private static JsonArray ResolvePorts(JsonObject service, JsonObject pod)
    {
        var ports = new JsonArray();
        foreach (var servicePort in service.Items("spec", "ports"))
        {
            var protocol = servicePort.Str("protocol") ?? "TCP";
            long? number = servicePort.At("targetPort") switch
            {
                null => servicePort.Long("port"),
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => servicePort.Long("targetPort"),
                _ when servicePort.Str("targetPort") is { } text && long.TryParse(text, out var parsed) => parsed,
                _ => FindNamedPort(pod, servicePort.Str("targetPort")!, protocol),
            };
            if (number is null)
                continue;
            var port = new JsonObject();
            if (servicePort.Str("name") is { Length: > 0 } name)
                port["name"] = name;
            port["port"] = number;
            port["protocol"] = protocol;
            if (servicePort.Str("appProtocol") is { } appProtocol)
                port["appProtocol"] = appProtocol;
            ports.Add(port);
        }
        return ports;
    }

    private static long? FindNamedPort(JsonObject pod, string name, string protocol)
    {
        foreach (var container in pod.Items("spec", "containers"))
        {
            foreach (var port in container.Items("ports"))
            {
                if (port.Str("name") == name && (port.Str("protocol") ?? "TCP") == protocol)
                    return port.Long("containerPort");
            }
        }
        return null;
    }

    private static JsonObject Address(string ip, JsonObject pod)
    {
        var address = new JsonObject { ["ip"] = ip };
        if (pod.Str("spec", "nodeName") is { Length: > 0 } node)
            address["nodeName"] = node;
        address["targetRef"] = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = pod.Namespace(),
            ["name"] = pod.Name(),
            ["uid"] = pod.Uid(),
        };
        return address;
    }

    private static JsonArray Sorted(List<JsonObject> addresses) =>
        [.. addresses.OrderBy(a => a.Str("ip"), StringComparer.Ordinal).ThenBy(a => a.Str("targetRef", "name"), StringComparer.Ordinal)];
}
