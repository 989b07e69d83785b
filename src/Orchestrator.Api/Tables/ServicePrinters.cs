using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>Service and Endpoints rows, as kube's printService and printEndpoints.</summary>
internal static class ServicePrinters
{
    public static TablePrinter Service { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Type", "type determines how the Service is exposed."),
            CommonColumns.Text("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
            CommonColumns.Text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            CommonColumns.Text("Port(s)", "The list of ports that are exposed by this service."),
            CommonColumns.Age,
            CommonColumns.Wide("Selector", "Route service traffic to pods with label keys and values matching this selector."),
        ],
        ServiceCells);

    public static TablePrinter Endpoints { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Endpoints", "The set of all endpoints is the union of all subsets."),
            CommonColumns.Age,
        ],
        (obj, now) => new JsonArray(obj.Name(), FormatEndpoints(obj), HumanDuration.Since(obj.Created(), now)));

    private static JsonArray ServiceCells(JsonObject svc, DateTimeOffset now)
    {
        JsonNode? spec = svc["spec"];
        string clusterIP = spec.Strings("clusterIPs").FirstOrDefault() ?? LabelFormat.None;
        string ports = string.Join(",", spec.Items("ports").Select(FormatPort));
        return new JsonArray(
            svc.Name(),
            spec.Str("type") ?? "",
            clusterIP,
            ExternalIP(svc),
            ports.Length == 0 ? LabelFormat.None : ports,
            HumanDuration.Since(svc.Created(), now),
            LabelFormat.Labels(spec.At("selector")));
    }

    /// <summary>"80/TCP", or "80:30080/TCP" when a node port is allocated.</summary>
    private static string FormatPort(JsonObject port)
    {
        long number = port.Long("port") ?? 0;
        long nodePort = port.Long("nodePort") ?? 0;
        string protocol = port.Str("protocol") ?? "";
        return nodePort > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{number}:{nodePort}/{protocol}")
            : string.Create(CultureInfo.InvariantCulture, $"{number}/{protocol}");
    }

    private static string ExternalIP(JsonObject svc)
    {
        JsonNode? spec = svc["spec"];
        List<string> externalIPs = [.. spec.Strings("externalIPs")];
        switch (spec.Str("type") ?? "")
        {
            case "ClusterIP" or "NodePort":
                return externalIPs.Count > 0 ? string.Join(",", externalIPs) : LabelFormat.None;
            case "LoadBalancer":
                List<string> ingress = LoadBalancerAddresses(svc.At("status", "loadBalancer"));
                if (externalIPs.Count > 0)
                {
                    return string.Join(",", ingress.Concat(externalIPs));
                }

                return ingress.Count > 0 ? string.Join(",", ingress) : "<pending>";
            case "ExternalName":
                return spec.Str("externalName") ?? "";
            default:
                return "<unknown>";
        }
    }

    /// <summary>
    /// Distinct ingress IPs (or hostnames when no IP), sorted. Not clipped to 16 characters:
    /// the server prints wide, as kube-apiserver does.
    /// </summary>
    public static List<string> LoadBalancerAddresses(JsonNode? loadBalancerStatus) =>
        [.. loadBalancerStatus.Items("ingress")
            .Select(i => i.Str("ip") is { Length: > 0 } ip ? ip : (i.Str("hostname") ?? ""))
            .Where(a => a.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>"ip:port" pairs of every subset, the first three then "+ N more...".</summary>
    private static string FormatEndpoints(JsonObject endpoints)
    {
        const int Max = 3;
        List<JsonObject> subsets = [.. endpoints.Items("subsets")];
        if (subsets.Count == 0)
        {
            return LabelFormat.None;
        }

        var shown = new List<string>();
        int count = 0;
        foreach (JsonObject subset in subsets)
        {
            List<string> ips = [.. subset.Items("addresses").Select(a => a.Str("ip") ?? "")];
            List<JsonObject> ports = [.. subset.Items("ports")];
            if (ports.Count == 0)
            {
                // Headless services may have addresses without ports.
                count += ips.Count;
                shown.AddRange(ips.Take(Max - shown.Count));
                continue;
            }

            foreach (JsonObject port in ports)
            {
                count += ips.Count;
                long number = port.Long("port") ?? 0;
                shown.AddRange(ips.Take(Max - shown.Count).Select(ip => JoinHostPort(ip, number)));
            }
        }

        string list = string.Join(",", shown);
        return count > Max ? string.Create(CultureInfo.InvariantCulture, $"{list} + {count - Max} more...") : list;
    }

    /// <summary>Go's net.JoinHostPort: IPv6 addresses go in brackets.</summary>
    private static string JoinHostPort(string host, long port) =>
        host.Contains(':')
            ? string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
}
