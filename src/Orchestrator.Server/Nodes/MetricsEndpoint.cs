using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;
using Orchestrator.Server.Http;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Nodes;

/// <summary>
/// metrics.k8s.io/v1beta1 as metrics-server serves it, without metrics-server: NodeMetrics and PodMetrics made on
/// request from every Ready node agent's /stats/summary (fetched in parallel, each bounded by <see cref="NodeTimeout"/>).
/// Nothing is stored; nodes without an agent endpoint (simulated ones) and unreachable agents are left out.
/// </summary>
public sealed class MetricsEndpoint(ObjectStore objects, TimeProvider clock, NodeConnections agents)
{
    public const string Window = "10s";

    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        if (info.Verb is not ("get" or "list"))
            throw ApiException.MethodNotAllowed(new GroupResource(BuiltInResources.MetricsGroup, info.Resource), info.Verb);
        var summaries = await SummariesAsync(context.RequestAborted);
        var now = Timestamp(clock.GetUtcNow());
        List<JsonObject> items = info.Resource switch
        {
            "nodes" when info.Namespace is null => [.. summaries.Select(s => NodeMetrics(s.Node, s.Summary, now))],
            "pods" => [.. summaries.SelectMany(s => PodMetrics(s.Summary, now)).Where(p => info.Namespace is null || p.Namespace() == info.Namespace)],
            _ => throw Http.Rest.ResourceHandler.NotFoundPath(),
        };
        var kind = info.Resource == "nodes" ? "NodeMetrics" : "PodMetrics";
        if (info.Name is { } name)
        {
            var item = items.FirstOrDefault(i => i.Name() == name)
                ?? throw ApiException.NotFound(new GroupResource(BuiltInResources.MetricsGroup, info.Resource), name);
            await ApiResponses.WriteJsonAsync(context, 200, item);
            return;
        }
        await ApiResponses.WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = kind + "List",
            ["apiVersion"] = "metrics.k8s.io/v1beta1",
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray([.. items.OrderBy(i => i.Namespace()).ThenBy(i => i.Name())]),
        });
    }

    private async Task<(JsonObject Node, JsonObject Summary)[]> SummariesAsync(CancellationToken token)
    {
        var nodes = BuiltInResources.All.First(r => r.Group == "" && r.Plural == "nodes");
        var (items, _, _) = await objects.ListAsync(ObjectStore.Prefix(nodes, null), null, 0, local: true, token);
        var fetches = items
            .Select(i => i.Object)
            .Where(NodeConnections.IsReady)
            .Select(n => (Node: n, Address: NodeConnections.AgentAddress(n)))
            .Where(n => n.Address is not null)
            .Select(async n => (n.Node, Summary: await FetchAsync(n.Address!, token)))
            .ToArray();
        var results = await Task.WhenAll(fetches);
        return [.. results.Where(r => r.Summary is not null).Select(r => (r.Node, r.Summary!))];
    }

    private async Task<JsonObject?> FetchAsync(Uri address, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(NodeTimeout);
        try
        {
            using var response = await agents.GetAsync(new Uri(address, "stats/summary"), HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                return null;
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token)) as JsonObject;
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || e is OperationCanceledException && !token.IsCancellationRequested)
        {
            return null;
        }
    }

    private static JsonObject NodeMetrics(JsonObject node, JsonObject summary, string now) => new()
    {
        ["kind"] = "NodeMetrics",
        ["apiVersion"] = "metrics.k8s.io/v1beta1",
        ["metadata"] = new JsonObject
        {
            ["name"] = node.Name(),
            ["creationTimestamp"] = now,
            ["labels"] = node.Obj("metadata", "labels")?.DeepClone(),
        },
        ["timestamp"] = summary.Str("node", "cpu", "time") ?? now,
        ["window"] = Window,
        ["usage"] = Usage(summary.Obj("node")),
    };

    private static IEnumerable<JsonObject> PodMetrics(JsonObject summary, string now)
    {
        foreach (var pod in (summary.Arr("pods") ?? []).OfType<JsonObject>())
        {
            var containers = (pod.Arr("containers") ?? []).OfType<JsonObject>().ToArray();
            if (containers.Length == 0)
                continue;
            yield return new JsonObject
            {
                ["kind"] = "PodMetrics",
                ["apiVersion"] = "metrics.k8s.io/v1beta1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = pod.Str("podRef", "name"),
                    ["namespace"] = pod.Str("podRef", "namespace"),
                    ["creationTimestamp"] = now,
                },
                ["timestamp"] = containers[0].Str("cpu", "time") ?? now,
                ["window"] = Window,
                ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Str("name"),
                    ["usage"] = Usage(c),
                })]),
            };
        }
    }

    /// <summary>cpu in nanocores ("123456n"), memory working set in KiB, as metrics-server formats them.</summary>
    private static JsonObject Usage(JsonObject? stats) => new()
    {
        ["cpu"] = (stats.Long("cpu", "usageNanoCores") ?? 0).ToString(CultureInfo.InvariantCulture) + "n",
        ["memory"] = ((stats.Long("memory", "workingSetBytes") ?? 0) / 1024).ToString(CultureInfo.InvariantCulture) + "Ki",
    };

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
