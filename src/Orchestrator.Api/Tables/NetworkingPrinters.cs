using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>networking.k8s.io rows: Ingress, IngressClass, NetworkPolicy.</summary>
internal static class NetworkingPrinters
{
    public static TablePrinter Ingress { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Class", "The name of the IngressClass resource that should be used for additional configuration"),
            CommonColumns.Text("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
            CommonColumns.Text("Address", "Address is a list containing ingress points for the load-balancer"),
            CommonColumns.Text("Ports", "Ports of TLS configurations that open"),
            CommonColumns.Age,
        ],
        (obj, now) => new JsonArray(
            obj.Name(),
            obj.Str("spec", "ingressClassName") ?? LabelFormat.None,
            Hosts(obj),
            string.Join(",", ServicePrinters.LoadBalancerAddresses(obj.At("status", "loadBalancer"))),
            obj.Count("spec", "tls") > 0 ? "80, 443" : "80",
            HumanDuration.Since(obj.Created(), now)));

    public static TablePrinter IngressClass { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Controller", "Controller that is responsible for handling this class"),
            CommonColumns.Text("Parameters", "A reference to a resource with additional parameters"),
            CommonColumns.Age,
        ],
        (obj, now) => new JsonArray(obj.Name(), obj.Str("spec", "controller") ?? "", Parameters(obj), HumanDuration.Since(obj.Created(), now)));

    public static TablePrinter NetworkPolicy { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
            CommonColumns.Age,
        ],
        (obj, now) => new JsonArray(
            obj.Name(),
            LabelFormat.FormatSelector(obj.At("spec", "podSelector") ?? new JsonObject()),
            HumanDuration.Since(obj.Created(), now)));

    /// <summary>The first three rule hosts, then "+ N more..." counted over all rules; "*" when none.</summary>
    private static string Hosts(JsonObject ingress)
    {
        const int Max = 3;
        List<JsonObject> rules = [.. ingress.Items("spec", "rules")];
        var hosts = new List<string>();
        bool more = false;
        foreach (JsonObject rule in rules)
        {
            // "more" only when a rule remains after three hosts were taken; the count subtracts
            // from all rules, hostless ones included, exactly as kube's formatHosts does.
            more |= hosts.Count == Max;
            if (!more && rule.Str("host") is { Length: > 0 } host)
            {
                hosts.Add(host);
            }
        }

        if (hosts.Count == 0)
        {
            return "*";
        }

        string list = string.Join(",", hosts);
        return more ? string.Create(CultureInfo.InvariantCulture, $"{list} + {rules.Count - Max} more...") : list;
    }

    /// <summary>"Kind.apiGroup/name", or "Kind/name" without an apiGroup; "&lt;none&gt;" when unset.</summary>
    private static string Parameters(JsonObject ingressClass)
    {
        if (ingressClass.Obj("spec", "parameters") is not { } parameters)
        {
            return LabelFormat.None;
        }

        string kind = parameters.Str("kind") ?? "";
        if (parameters.Str("apiGroup") is { } group)
        {
            kind += "." + group;
        }

        return kind + "/" + (parameters.Str("name") ?? "");
    }
}
