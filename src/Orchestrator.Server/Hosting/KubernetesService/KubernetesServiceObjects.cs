using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// The "kubernetes" Service in "default" and its Endpoints, as kube-apiserver keeps them: the first address of the
/// service range, port 443 named https, no selector (so the endpoints controller leaves its Endpoints alone).
/// </summary>
public static class KubernetesServiceObjects
{
    public const string Name = "kubernetes";
    public const string Namespace = "default";
    public const string PortName = "https";
    public const int Port = 443;

    public static JsonObject Service(string clusterIp, int targetPort) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = Labels(),
        },
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = clusterIp,
            ["clusterIPs"] = new JsonArray(clusterIp),
            ["sessionAffinity"] = "None",
            ["ports"] = new JsonArray(new JsonObject
            {
                ["name"] = PortName,
                ["port"] = Port,
                ["protocol"] = "TCP",
                ["targetPort"] = targetPort,
            }),
        },
    };

    /// <summary>Whether an existing Service still has what clients rely on: the labels and the https port 443 (targetPort may be any replica's).</summary>
    public static bool IsIntact(JsonObject service) =>
        service.Str("metadata", "labels", "component") == "apiserver"
        && service.Str("metadata", "labels", "provider") == "kubernetes"
        && service.Items("spec", "ports").Any(p => p.Str("name") == PortName && p.Long("port") == Port && (p.Str("protocol") ?? "TCP") == "TCP");

    /// <summary>
    /// One subset per distinct port, its addresses sorted: replicas on one host differ only by port, and an Endpoints
    /// subset pairs every address with every port, so they cannot share one.
    /// </summary>
    public static JsonArray Subsets(IReadOnlyList<IPEndPoint> addresses) =>
    [
        .. addresses.GroupBy(a => a.Port).OrderBy(g => g.Key).Select(port => (JsonNode)new JsonObject
        {
            ["addresses"] = new JsonArray([.. port.Select(a => a.Address.ToString()).Distinct().Order(StringComparer.Ordinal)
                .Select(ip => (JsonNode)new JsonObject { ["ip"] = ip })]),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = PortName, ["port"] = port.Key, ["protocol"] = "TCP" }),
        }),
    ];

    public static JsonObject Endpoints(JsonArray subsets) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Endpoints",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            // As kube-apiserver labels it: no EndpointSlice mirroring of the apiserver's own endpoints.
            ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
        },
        ["subsets"] = subsets,
    };

    private static JsonObject Labels() => new() { ["component"] = "apiserver", ["provider"] = "kubernetes" };
}
