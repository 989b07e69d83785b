using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Security;

/// <summary>
/// Secrets sealed at rest with --encryption-provider-config on real replicas: a Secret's value is in no file under any
/// replica's data folder (Raft log, FASTER store, snapshots), while a ConfigMap's value written beside it is (the
/// control that shows the scan finds what is there); every read path gives the value back; a second key put first
/// rotates without losing the Secrets sealed with the first.
/// </summary>
public sealed class EncryptionAtRestTests : IAsyncLifetime
{
    private readonly string configDirectory = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"encryption-{Guid.NewGuid():N}");
    private readonly string key1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private ApiCluster cluster = null!;

    private string ConfigPath => Path.Combine(configDirectory, "encryption.yaml");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(configDirectory);
        WriteConfig(("key1", key1));
        cluster = await ApiCluster.StartAsync(3, serverArgs: ["--encryption-provider-config", ConfigPath]);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        Directory.Delete(configDirectory, recursive: true);
    }

    [Fact]
    public async Task SecretValuesAreSealedOnDiskAndServedOpenOnEveryReadPath()
    {
        var secretValue = $"s3cr3t-{Guid.NewGuid():N}";
        var configValue = $"plain-{Guid.NewGuid():N}";
        using var http = cluster.CreateHttpClient(cluster.Replicas[1]);
        var created = await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/secrets", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "db" },
            ["stringData"] = new JsonObject { ["password"] = secretValue },
        }, HttpStatusCode.Created);
        Assert.Equal(Base64(secretValue), created["data"]!["password"]!.GetValue<string>());
        await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "control" },
            ["data"] = new JsonObject { ["value"] = configValue },
        }, HttpStatusCode.Created);

        foreach (var replica in cluster.Replicas)
        {
            using var client = cluster.CreateHttpClient(replica);
            var rv = created["metadata"]!["resourceVersion"]!.GetValue<string>();
            Assert.Equal(Base64(secretValue), (await SendAsync(client, HttpMethod.Get, "/api/v1/namespaces/default/secrets/db", null, HttpStatusCode.OK))["data"]!["password"]!.GetValue<string>());
            // The list path that copies stored bytes straight into the response, and the one that decodes.
            var list = await SendAsync(client, HttpMethod.Get, "/api/v1/secrets", null, HttpStatusCode.OK);
            Assert.Contains(list["items"]!.AsArray(), item => item!["data"]?["password"]?.GetValue<string>() == Base64(secretValue));
            var selected = await SendAsync(client, HttpMethod.Get, "/api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ddb&resourceVersion=" + rv, null, HttpStatusCode.OK);
            Assert.Equal(Base64(secretValue), selected["items"]![0]!["data"]!["password"]!.GetValue<string>());
            var watched = await client.GetStringAsync($"/api/v1/namespaces/default/secrets?watch=true&resourceVersion={long.Parse(rv) - 1}&timeoutSeconds=1");
            Assert.Contains(Base64(secretValue), watched);
        }
        var kubectl = Kubectl.For(cluster);
        var viaKubectl = await kubectl.RunAsync(cluster.ContextOf(cluster.Replicas[2]), "get", "secret", "db", "-o", "jsonpath={.data.password}");
        Assert.True(viaKubectl.Succeeded, viaKubectl.ToString());
        Assert.Equal(Base64(secretValue), viaKubectl.Output);

        await AssertOnDiskAsync(mustHave: [configValue, "k8s:enc:aesgcm:v1:key1:"], mustNotHave: [secretValue, Base64(secretValue)]);

        // Rotation: key2 first seals new writes, key1 second still opens what it sealed.
        WriteConfig(("key2", key2), ("key1", key1));
        await RestartAllAsync();
        using var afterRotation = cluster.CreateHttpClient(cluster.Replicas[0]);
        var old = await SendAsync(afterRotation, HttpMethod.Get, "/api/v1/namespaces/default/secrets/db", null, HttpStatusCode.OK);
        Assert.Equal(Base64(secretValue), old["data"]!["password"]!.GetValue<string>());
        var rotatedValue = $"rotated-{Guid.NewGuid():N}";
        old["data"] = new JsonObject { ["password"] = Base64(rotatedValue) };
        await SendAsync(afterRotation, HttpMethod.Put, "/api/v1/namespaces/default/secrets/db", old, HttpStatusCode.OK);
        await AssertOnDiskAsync(mustHave: ["k8s:enc:aesgcm:v1:key2:"], mustNotHave: [rotatedValue, Base64(rotatedValue)]);

        // With every Secret rewritten, key1 can go.
        WriteConfig(("key2", key2));
        await RestartAllAsync();
        using var afterRemoval = cluster.CreateHttpClient(cluster.Replicas[2]);
        var rewritten = await SendAsync(afterRemoval, HttpMethod.Get, "/api/v1/namespaces/default/secrets/db", null, HttpStatusCode.OK);
        Assert.Equal(Base64(rotatedValue), rewritten["data"]!["password"]!.GetValue<string>());
        var deleted = await SendAsync(afterRemoval, HttpMethod.Delete, "/api/v1/namespaces/default/secrets/db", null, HttpStatusCode.OK);
        Assert.Equal("db", deleted["metadata"]!["name"]!.GetValue<string>());
    }

    private void WriteConfig(params (string Name, string Secret)[] keys)
    {
        var text = new StringBuilder("""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: [secrets]
                providers:
                  - aesgcm:
                      keys:

            """);
        foreach (var (name, secret) in keys)
            text.Append($"              - name: {name}\n                secret: {secret}\n");
        text.Append("      - identity: {}\n");
        File.WriteAllText(ConfigPath, text.ToString());
    }

    private async Task RestartAllAsync()
    {
        foreach (var replica in cluster.Replicas)
        {
            replica.Kill();
            cluster.Restart(replica);
            await cluster.WaitReadyAsync([replica], TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Every file under every replica's data folder, as bytes: what someone with the disks would read.</summary>
    private async Task AssertOnDiskAsync(string[] mustHave, string[] mustNotHave)
    {
        foreach (var replica in cluster.Replicas)
        {
            var files = Directory.EnumerateFiles(replica.DataDirectory, "*", SearchOption.AllDirectories).ToList();
            var contents = new List<byte[]>();
            foreach (var file in files)
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var bytes = new MemoryStream();
                await stream.CopyToAsync(bytes);
                contents.Add(bytes.ToArray());
            }
            foreach (var text in mustHave)
                Assert.True(contents.Any(c => c.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0), $"{text} is in no file of replica {replica.Ordinal} ({files.Count} files)");
            foreach (var text in mustNotHave)
                Assert.False(contents.Any(c => c.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0), $"{text} is stored in the clear on replica {replica.Ordinal}");
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
