using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>
/// Readiness, liveness and startup probes run by the agent. The readiness test toggles the probed file from the host
/// through a hostPath volume mounted at the container's /tmp, so the test, not a timer, decides when the pod is ready.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class ProbeTests(AgentFixture fixture)
{
    private static readonly ApiResource Endpoints = new("", "v1", "endpoints", true);

    private KubeClient Client => fixture.Client;

    private static JsonObject Container(JsonObject pod) => pod.Items("status", "containerStatuses").Single();

    private static bool IsRunning(JsonObject pod) =>
        pod.Items("status", "containerStatuses").FirstOrDefault() is { } status && status.Obj("state", "running") is not null;

    private static string ReadyCondition(JsonObject pod) => pod.Condition("Ready").Str("status") ?? "";

    private static JsonObject Exec(params string[] command) => new() { ["exec"] = new JsonObject { ["command"] = new JsonArray([.. command.Select(c => (JsonNode)c)]) } };

    /// <summary>A probe with a 1 s period; <paramref name="extra"/> adds or overrides fields.</summary>
    private static JsonObject Probe(JsonObject handler, int failureThreshold, JsonObject? extra = null)
    {
        handler["periodSeconds"] = 1;
        handler["failureThreshold"] = failureThreshold;
        foreach (var (key, value) in extra ?? [])
            handler[key] = value?.DeepClone();
        return handler;
    }

    private static JsonObject MainContainer(JsonObject pod) => pod.Items("spec", "containers").Single();

    [Fact]
    public async Task A_failing_readiness_probe_removes_the_pod_from_its_services_Endpoints()
    {
        var ns = await fixture.NamespaceAsync();
        var shared = Directory.CreateTempSubdirectory("orch-probe-");
        try
        {
            var ready = Path.Combine(shared.FullName, "ready");
            await Client.CreateAsync(ApiResource.Services, ns, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["metadata"] = new JsonObject { ["name"] = "web" },
                ["spec"] = new JsonObject
                {
                    ["selector"] = new JsonObject { ["app"] = "web" },
                    ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = 8080 }),
                },
            });
            var pod = fixture.Pod("web", "touch /tmp/ready; sleep 3600");
            pod["metadata"]!["labels"] = new JsonObject { ["app"] = "web" };
            pod["spec"]!["volumes"] = new JsonArray(new JsonObject { ["name"] = "tmp", ["hostPath"] = new JsonObject { ["path"] = shared.FullName } });
            var container = MainContainer(pod);
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" });
            container["readinessProbe"] = Probe(Exec("test", "-f", "/tmp/ready"), failureThreshold: 1);
            await Client.CreateAsync(ApiResource.Pods, ns, pod);

            var running = await fixture.WaitPodAsync(ns, "web", p => ReadyCondition(p) == "True");
            var ip = running.Str("status", "podIP") ?? "";
            await WaitEndpointsAsync(ns, "web", ip, ready: true);

            File.Delete(ready);
            var unready = await fixture.WaitPodAsync(ns, "web", p => ReadyCondition(p) == "False", seconds: 20);
            Assert.False(Container(unready).Bool("ready"));
            Assert.True(Container(unready).Bool("started"));
            Assert.Equal("ContainersNotReady", unready.Condition("Ready").Str("reason"));
            await WaitEndpointsAsync(ns, "web", ip, ready: false);

            await File.WriteAllTextAsync(ready, "");
            await fixture.WaitPodAsync(ns, "web", p => ReadyCondition(p) == "True", seconds: 20);
            await WaitEndpointsAsync(ns, "web", ip, ready: true);
            Assert.Equal(0, Container(await Client.GetAsync(ApiResource.Pods, ns, "web")).Long("restartCount"));
        }
        finally
        {
            await Client.DeleteAsync(ApiResource.Pods, ns, "web", new DeleteOptions { GracePeriodSeconds = 0 });
            shared.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_failing_liveness_probe_kills_the_container_after_the_probes_grace_period_and_it_runs_again()
    {
        var ns = await fixture.NamespaceAsync();
        // The pod's 30 s grace would outlast the waits below: the probe's own terminationGracePeriodSeconds must be used.
        var pod = fixture.Pod("sick", "sleep 2; touch /tmp/sick; sleep 3600", grace: 30);
        MainContainer(pod)["livenessProbe"] = Probe(Exec("sh", "-c", "test ! -f /tmp/sick"), failureThreshold: 2,
            new JsonObject { ["terminationGracePeriodSeconds"] = 1 });
        await Client.CreateAsync(ApiResource.Pods, ns, pod);
        var first = await fixture.WaitPodAsync(ns, "sick", IsRunning);
        var firstId = Container(first).Str("containerID") ?? "";

        var restarted = await fixture.WaitPodAsync(ns, "sick", p => IsRunning(p) && Container(p).Long("restartCount") >= 1, seconds: 30);

        var status = Container(restarted);
        Assert.NotEqual(firstId, status.Str("containerID") ?? "");
        var last = status.Obj("lastState", "terminated");
        Assert.Equal(137, last.Long("exitCode"));
        Assert.Equal("Error", last.Str("reason"));
        Assert.Equal(firstId, last.Str("containerID") ?? "");
        Assert.Equal("Running", restarted.Str("status", "phase"));
        // The new run gets sick again in turn: the probe keeps running after a restart.
        await fixture.WaitPodAsync(ns, "sick", p => Container(p).Long("restartCount") >= 2, seconds: 40);
        var events = await fixture.WaitEventsAsync(ns, "sick", "Unhealthy", "Killing");
        Assert.Contains(events, e => (e.Str("message") ?? "").StartsWith("Liveness probe failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Until_the_startup_probe_succeeds_the_container_is_not_started_nor_ready_and_liveness_waits()
    {
        var ns = await fixture.NamespaceAsync();
        // An HTTP server on the named port "web" that comes up after 5 s.
        var pod = fixture.Pod("slow", "sleep 5; mkdir -p /www; echo ok > /www/healthz; httpd -f -p 8080 -h /www");
        var container = MainContainer(pod);
        container["ports"] = new JsonArray(new JsonObject { ["name"] = "web", ["containerPort"] = 8080 });
        var get = new JsonObject
        {
            ["httpGet"] = new JsonObject
            {
                ["path"] = "/healthz",
                ["port"] = "web",
                ["httpHeaders"] = new JsonArray(new JsonObject { ["name"] = "X-Probe", ["value"] = "startup" }),
            },
        };
        container["startupProbe"] = Probe((JsonObject)get.DeepClone(), failureThreshold: 30);
        // Would kill the container at once were it run before the startup probe succeeded.
        container["livenessProbe"] = Probe((JsonObject)get.DeepClone(), failureThreshold: 1, new JsonObject { ["terminationGracePeriodSeconds"] = 1 });
        await Client.CreateAsync(ApiResource.Pods, ns, pod);

        var starting = await fixture.WaitPodAsync(ns, "slow", IsRunning);
        Assert.False(Container(starting).Bool("started"));
        Assert.False(Container(starting).Bool("ready"));
        Assert.Equal("False", ReadyCondition(starting));

        var started = await fixture.WaitPodAsync(ns, "slow", p => Container(p).Bool("started") == true, seconds: 30);
        Assert.True(Container(started).Bool("ready"));
        Assert.Equal("True", ReadyCondition(started));
        Assert.Equal(0, Container(started).Long("restartCount"));
        Assert.Equal(Container(starting).Str("containerID") ?? "", Container(started).Str("containerID") ?? "");
    }

    [Fact]
    public async Task A_startup_probe_that_never_succeeds_gets_the_container_restarted()
    {
        var ns = await fixture.NamespaceAsync();
        var pod = fixture.Pod("never", "sleep 3600");
        MainContainer(pod)["startupProbe"] = Probe(new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = "http" } }, failureThreshold: 2,
            new JsonObject { ["terminationGracePeriodSeconds"] = 1 });
        MainContainer(pod)["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080 });
        await Client.CreateAsync(ApiResource.Pods, ns, pod);

        var restarted = await fixture.WaitPodAsync(ns, "never", p => Container(p).Long("restartCount") >= 1, seconds: 30);

        var status = Container(restarted);
        Assert.False(status.Bool("started"));
        Assert.False(status.Bool("ready"));
        Assert.Equal(137, status.Long("lastState", "terminated", "exitCode"));
        Assert.Equal("Error", status.Str("lastState", "terminated", "reason"));
    }

    /// <summary>Waits until the pod's IP is among the Endpoints' ready addresses, or among the not-ready ones and not the ready ones.</summary>
    private async Task WaitEndpointsAsync(string ns, string name, string ip, bool ready)
    {
        JsonObject? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = await Client.GetAsync(Endpoints, ns, name);
            var subsets = last.Items("subsets").ToList();
            bool Has(string field) => subsets.Any(s => s.Items(field).Any(a => (a.Str("ip") ?? "") == ip));
            return ready ? Has("addresses") && !Has("notReadyAddresses") : Has("notReadyAddresses") && !Has("addresses");
        }, TimeSpan.FromSeconds(30), () => last?.ToJsonString() ?? "(no endpoints)");
    }
}
