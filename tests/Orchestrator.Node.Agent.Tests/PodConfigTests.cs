using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>What a container is given: env from values, fields, ConfigMaps and Secrets; volumes; limits.</summary>
[Collection(AgentCollection.Name)]
public sealed class PodConfigTests(AgentFixture fixture)
{
    private KubeClient Client => fixture.Client;

    private async Task<string> LogOfAsync(string ns, string name)
    {
        var pod = await Client.GetAsync(ApiResource.Pods, ns, name);
        var id = (pod.Items("status", "containerStatuses").First().Str("containerID") ?? "")["runc://".Length..];
        return await File.ReadAllTextAsync(fixture.Agent.Runtime.LogPath(id));
    }

    [Fact]
    public async Task Env_volumes_and_working_dir_reach_the_container()
    {
        var ns = await fixture.NamespaceAsync();
        await Client.CreateAsync(ApiResource.ConfigMaps, ns, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "settings" },
            ["data"] = new JsonObject { ["color"] = "blue", ["file.txt"] = "from-configmap" },
        });
        await Client.CreateAsync(ApiResource.Secrets, ns, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "creds" },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String("s3cret"u8.ToArray()) },
        });
        var pod = fixture.Pod("config", "echo plain=$PLAIN color=$COLOR password=$PASSWORD pod=$POD_NAME ip=$POD_IP cfg_color=$CFG_color; "
            + "pwd; cat /etc/settings/file.txt; echo; echo data > /scratch/x && cat /scratch/x", restartPolicy: "Never");
        var container = (JsonObject)pod["spec"]!["containers"]![0]!;
        container["workingDir"] = "/tmp";
        container["env"] = new JsonArray(
            new JsonObject { ["name"] = "PLAIN", ["value"] = "value" },
            new JsonObject { ["name"] = "COLOR", ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = "settings", ["key"] = "color" } } },
            new JsonObject { ["name"] = "PASSWORD", ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "creds", ["key"] = "password" } } },
            new JsonObject { ["name"] = "POD_NAME", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } } },
            new JsonObject { ["name"] = "POD_IP", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "status.podIP" } } });
        container["envFrom"] = new JsonArray(new JsonObject { ["prefix"] = "CFG_", ["configMapRef"] = new JsonObject { ["name"] = "settings" } });
        container["volumeMounts"] = new JsonArray(
            new JsonObject { ["name"] = "settings", ["mountPath"] = "/etc/settings", ["readOnly"] = true },
            new JsonObject { ["name"] = "scratch", ["mountPath"] = "/scratch" });
        pod["spec"]!["volumes"] = new JsonArray(
            new JsonObject { ["name"] = "settings", ["configMap"] = new JsonObject { ["name"] = "settings" } },
            new JsonObject { ["name"] = "scratch", ["emptyDir"] = new JsonObject() });
        await Client.CreateAsync(ApiResource.Pods, ns, pod);

        var done = await fixture.WaitPodAsync(ns, "config", p => p.Str("status", "phase") is "Succeeded" or "Failed");

        var log = await LogOfAsync(ns, "config");
        Assert.Equal("Succeeded", done.Str("status", "phase"));
        Assert.Contains($"plain=value color=blue password=s3cret pod=config ip={done.Str("status", "podIP")} cfg_color=blue", log);
        Assert.Contains(" /tmp", log);
        Assert.Contains("from-configmap", log);
        Assert.Contains(" data", log);
    }

    [Fact]
    public async Task A_pod_gets_a_bound_service_account_token_the_cluster_ca_and_its_namespace()
    {
        var ns = await fixture.NamespaceAsync();
        const string dir = "/var/run/secrets/kubernetes.io/serviceaccount";
        await Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("incluster",
            $"echo NS=$(cat {dir}/namespace); cat {dir}/ca.crt; echo; echo TOKEN=$(cat {dir}/token); ls -l {dir}/; sleep 3600", grace: 1));
        var optedOut = fixture.Pod("optout", "true", restartPolicy: "Never");
        optedOut["spec"]!["automountServiceAccountToken"] = false;
        var stored = await Client.CreateAsync(ApiResource.Pods, ns, optedOut);
        Assert.Empty(stored.Items("spec", "volumes"));

        var pod = await fixture.WaitPodAsync(ns, "incluster", p => p.Str("status", "phase") == "Running");
        var volume = pod.Items("spec", "volumes").Single();
        Assert.StartsWith("kube-api-access-", volume.Str("name"));
        Assert.Contains(pod.Items("spec", "containers").Single().Items("volumeMounts"), m => m.Str("mountPath") == dir && m.Bool("readOnly") == true);
        string log = "";
        await Eventually.HoldsAsync(async () => (log = await LogOfAsync(ns, "incluster")).Contains("TOKEN=ey"), TimeSpan.FromSeconds(30), () => log);
        // The container log is in CRI format ("time stream tag content" per line): its content alone.
        log = string.Join('\n', log.Split('\n').Select(l => l.Split(' ', 4) is { Length: 4 } parts ? parts[3] : l));
        Assert.Contains($"NS={ns}", log);
        Assert.Contains((await File.ReadAllTextAsync(Path.Combine(fixture.Cluster.PkiDirectory, "ca.crt"))).Trim(), log);
        var token = log.Split('\n').Single(l => l.StartsWith("TOKEN=", StringComparison.Ordinal))["TOKEN=".Length..].Trim();

        // The token is the pod's service account's, bound to this pod: it authenticates while the pod exists.
        var replica = fixture.Cluster.Replicas[0];
        using (var asPod = fixture.Cluster.CreateHttpClient(replica, certificate: null, bearerToken: token))
        {
            using var review = await asPod.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", System.Text.Encoding.UTF8, "application/json"));
            var body = JsonNode.Parse(await review.Content.ReadAsStringAsync())!;
            Assert.True(review.IsSuccessStatusCode, body.ToJsonString());
            Assert.Equal($"system:serviceaccount:{ns}:default", body["status"]!["userInfo"]!["username"]!.GetValue<string>());
        }
        await Client.DeleteAsync(ApiResource.Pods, ns, "incluster");
        await Eventually.HoldsAsync(async () =>
        {
            using var asGone = fixture.Cluster.CreateHttpClient(replica, certificate: null, bearerToken: token);
            using var response = await asGone.GetAsync($"/api/v1/namespaces/{ns}/pods");
            return response.StatusCode == System.Net.HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(60), () => "the token of a deleted pod still authenticates");
    }

    [Fact]
    public async Task A_memory_limit_is_enforced_and_reported_as_OOMKilled()
    {
        var ns = await fixture.NamespaceAsync();
        var pod = fixture.Pod("hog", "dd if=/dev/zero of=/dev/null bs=64M count=1", restartPolicy: "Never");
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "16Mi" } };
        await Client.CreateAsync(ApiResource.Pods, ns, pod);

        var done = await fixture.WaitPodAsync(ns, "hog", p => p.Str("status", "phase") is "Succeeded" or "Failed");

        var terminated = done.Items("status", "containerStatuses").First().Obj("state", "terminated");
        Assert.Equal("Failed", done.Str("status", "phase"));
        Assert.Equal("OOMKilled", terminated.Str("reason"));
        Assert.Equal(137, terminated.Long("exitCode"));
    }
}
