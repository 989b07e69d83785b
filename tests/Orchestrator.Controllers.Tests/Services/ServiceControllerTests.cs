using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using static Orchestrator.Controllers.Tests.KubeletCluster;

namespace Orchestrator.Controllers.Tests.Services;

/// <summary>Endpoints follow the pods a service selects; LoadBalancer services get pool addresses.</summary>
public sealed class ServiceControllerTests(KubeletCluster cluster) : IClassFixture<KubeletCluster>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly ApiResource Endpoints = new("", "v1", "endpoints", true);

    private KubeClient Client => cluster.Client;

    [Fact]
    public async Task EndpointsFollowPodsBecomingReadyNotReadyAndGone()
    {
        await Client.CreateAsync(ApiResource.Services, "default", Json("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
             "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http-port"},{"name":"metrics","port":9090,"targetPort":9100}]}}
            """));
        foreach (var name in new[] { "web-1", "web-2" })
            await Client.CreateAsync(ApiResource.Pods, "default", Pod(name, "app", "web", namedPort: true));
        await Client.CreateAsync(ApiResource.Pods, "default", Pod("web-noname", "app", "web", namedPort: false));
        await Client.CreateAsync(ApiResource.Pods, "default", Pod("other", "app", "other", namedPort: true));

        // Both named-port pods serve both ports; the pod without the named port serves only 9100.
        await EventuallyEndpoints("web", eps => Addresses(eps, "addresses", withPort: 8080).SetEquals(["web-1", "web-2"])
            && Addresses(eps, "addresses", withPort: 9100).SetEquals(["web-1", "web-2", "web-noname"]));
        var endpoints = await Client.GetAsync(Endpoints, "default", "web");
        var first = endpoints["subsets"]!.AsArray().OfType<JsonObject>().First(s => Ports(s).Contains(8080));
        var address = first["addresses"]!.AsArray()[0]!;
        Assert.Equal("node-a", (string?)address["nodeName"]);
        Assert.Equal("Pod", (string?)address["targetRef"]!["kind"]);
        Assert.NotNull((string?)address["ip"]);
        Assert.Contains(first["ports"]!.AsArray(), p => (string?)p!["name"] == "http" && (long?)p["port"] == 8080 && (string?)p["protocol"] == "TCP");

        cluster.Kubelet.SetReady("default", "web-2", false);
        await EventuallyEndpoints("web", eps => Addresses(eps, "addresses", withPort: 8080).SetEquals(["web-1"])
            && Addresses(eps, "notReadyAddresses", withPort: 8080).SetEquals(["web-2"]));

        await Client.DeleteAsync(ApiResource.Pods, "default", "web-1");
        await EventuallyEndpoints("web", eps => Addresses(eps, "addresses", withPort: 8080).Count == 0
            && Addresses(eps, "notReadyAddresses", withPort: 8080).SetEquals(["web-2"]));

        await Client.DeleteAsync(ApiResource.Services, "default", "web");
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await Client.GetAsync(Endpoints, "default", "web");
                return false;
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return true;
            }
        }, Wait);
    }

    [Fact]
    public async Task LoadBalancerServicesGetDistinctPoolAddressesThatAreReleasedAndReused()
    {
        await Client.CreateAsync(ApiResource.Services, "default", LoadBalancer("lb-1"));
        await Client.CreateAsync(ApiResource.Services, "default", LoadBalancer("lb-2"));
        var first = await IngressAsync("lb-1");
        var second = await IngressAsync("lb-2");
        Assert.StartsWith("203.0.113.", first);
        Assert.StartsWith("203.0.113.", second);
        Assert.NotEqual(first, second);

        await Client.DeleteAsync(ApiResource.Services, "default", "lb-1");
        await Eventually.HoldsAsync(async () =>
        {
            var claims = await Client.ListAsync(ApiResource.ConfigMaps, "kube-system", new ListOptions { LabelSelector = "orchestrator.io/loadbalancer-ip" });
            return claims.Items.All(c => (string?)c["data"]?["ip"] != first);
        }, Wait);
        // The lowest free address is handed out first, so the released one comes back.
        await Client.CreateAsync(ApiResource.Services, "default", LoadBalancer("lb-3"));
        Assert.Equal(first, await IngressAsync("lb-3"));

        // A service that stops being a LoadBalancer loses its address.
        // (To NodePort: this server keeps allocated node ports on a change to ClusterIP and then refuses them.)
        await Client.PatchAsync(ApiResource.Services, "default", "lb-2", PatchType.Merge, Json("""{"spec":{"type":"NodePort"}}"""));
        await Eventually.HoldsAsync(async () =>
        {
            var svc = await Client.GetAsync(ApiResource.Services, "default", "lb-2");
            return svc["status"]?["loadBalancer"]?["ingress"] is null;
        }, Wait);
        await Eventually.HoldsAsync(async () =>
        {
            var claims = await Client.ListAsync(ApiResource.ConfigMaps, "kube-system", new ListOptions { LabelSelector = "orchestrator.io/loadbalancer-ip" });
            return claims.Items.All(c => (string?)c["data"]?["ip"] != second);
        }, Wait);
    }

    private async Task<string> IngressAsync(string name)
    {
        string? ip = null;
        await Eventually.HoldsAsync(async () =>
        {
            var svc = await Client.GetAsync(ApiResource.Services, "default", name);
            ip = (string?)svc["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"];
            return ip is not null;
        }, Wait);
        return ip!;
    }

    private async Task EventuallyEndpoints(string name, Func<JsonObject, bool> condition)
    {
        JsonObject? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = await Client.GetAsync(Endpoints, "default", name);
            return condition(last);
        }, Wait, () => last?.ToJsonString() ?? "(no endpoints)");
    }

    private static HashSet<string> Addresses(JsonObject endpoints, string field, int withPort) =>
        (endpoints["subsets"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(s => Ports(s).Contains(withPort))
            .SelectMany(s => (s[field] as JsonArray ?? []).OfType<JsonObject>())
            .Select(a => (string)a["targetRef"]!["name"]!)
            .ToHashSet();

    private static List<long> Ports(JsonObject subset) =>
        [.. (subset["ports"] as JsonArray ?? []).Select(p => (long)p!["port"]!)];

    private static JsonObject Pod(string name, string label, string value, bool namedPort)
    {
        var ports = namedPort ? """[{"name":"http-port","containerPort":8080}]""" : "[]";
        return Json(Fill("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%0%","labels":{"%1%":"%2%"}},
             "spec":{"containers":[{"name":"c","image":"busybox","ports":%3%}]}}
            """, name, label, value, ports));
    }

    private static JsonObject LoadBalancer(string name) => Json(Fill("""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"%0%"},
         "spec":{"type":"LoadBalancer","selector":{"app":"%1%"},"ports":[{"port":80}]}}
        """, name, name));
}
