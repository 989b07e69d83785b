using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Config;

namespace Orchestrator.Api.Benchmarks;

/// <summary>What every benchmark needs: a client per caller, each bound to one replica, and small valid objects.</summary>
internal sealed class Bench(IReadOnlyList<Kubeconfig> replicas)
{
    public int ReplicaCount => replicas.Count;

    /// <summary>A new client (own connection pool) to replica <paramref name="index"/> (0-based).</summary>
    public KubeClient NewClient(int index, KubeClientOptions? options = null) =>
        new(replicas[index], options ?? new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>The HTTP version a KubeClient gets from replica 1 (it asks for HTTP/2 and accepts less).</summary>
    public async Task<Version> NegotiatedVersionAsync(CancellationToken token)
    {
        using var http = new HttpClient(TlsHandler.Create(replicas[0]))
        {
            BaseAddress = replicas[0].Server,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        using var response = await http.GetAsync("/readyz", token);
        return response.Version;
    }

    /// <summary>Creates a namespace; one that already exists is fine.</summary>
    public static async Task CreateNamespaceAsync(KubeClient client, string name, CancellationToken token)
    {
        try
        {
            await client.CreateAsync(ApiResource.Namespaces, null,
                new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, token: token);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
        }
    }

    public static JsonObject Pod(string ns, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "bench" } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox:1.36" }),
        },
    };

    public static JsonObject ConfigMap(string ns, string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["value"] = value },
    };

    /// <summary>An exception's type and message, with those of its inner exceptions (where the socket error is).</summary>
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
            parts.Add($"{x.GetType().Name}: {x.Message}");
        return string.Join(" <- ", parts);
    }

    public static bool IsRequestFailure(Exception e) => e is KubeApiException or HttpRequestException or TimeoutException or IOException;
}
