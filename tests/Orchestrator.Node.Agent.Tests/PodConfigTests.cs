using System.Text.Json.Nodes;
using Orchestrator.Client;
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
