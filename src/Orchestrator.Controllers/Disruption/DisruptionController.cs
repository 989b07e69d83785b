using System.Text.Json.Nodes;
using Orchestrator.Api.Selectors;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Disruption;

/// <summary>
/// Keeps each PodDisruptionBudget's status current (kube's disruption controller): healthy and desired pod
/// counts, disruptionsAllowed, the DisruptionAllowed condition and observedGeneration, which the eviction
/// subresource reads. Entries of status.disruptedPods (written by evictions) are dropped once the pod is
/// deleting or gone, or after <see cref="DeletionTimeout"/> when the eviction never led to a delete.
/// </summary>
public sealed class DisruptionController : QueueController
{
    private static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    public override string Name => "disruption";

    protected override void Subscribe(ControllerContext context)
    {
        QueueOwnKeys(context, MoreResources.PodDisruptionBudgets);
        context.Informers.Subscribe(ApiResource.Pods, change =>
        {
            var budgets = context.Informers.For(MoreResources.PodDisruptionBudgets);
            foreach (var pod in new[] { change.Object, change.Previous })
            {
                if (pod is null)
                    continue;
                foreach (var pdb in budgets.List())
                {
                    if (pdb.Namespace() == pod.Namespace() && Selects(pdb, pod))
                        Queue.Add(KeyOf(pdb));
                }
            }
        });
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var (ns, name) = SplitKey(key);
        var pdb = context.Informers.For(MoreResources.PodDisruptionBudgets).Get(ns, name);
        if (pdb is null || pdb.IsDeleting())
            return;
        var now = context.Clock.GetUtcNow();
        var pods = context.Informers.For(ApiResource.Pods).List().Where(p => p.Namespace() == ns && Selects(pdb, p)).ToList();
        var disrupted = CurrentDisruptions(key, pdb, pods, now);
        var numbers = DisruptionBudget.Compute(pdb, pods, disrupted.Select(d => d.Key).ToHashSet(StringComparer.Ordinal));

        var status = pdb["status"]?.DeepClone() as JsonObject ?? [];
        status["observedGeneration"] = pdb.Long("metadata", "generation") ?? 1;
        status["expectedPods"] = numbers.ExpectedPods;
        status["currentHealthy"] = numbers.CurrentHealthy;
        status["desiredHealthy"] = numbers.DesiredHealthy;
        status["disruptionsAllowed"] = numbers.DisruptionsAllowed;
        if (disrupted.Count > 0)
            status["disruptedPods"] = new JsonObject(disrupted.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value.Rfc3339())));
        else
            status.Remove("disruptedPods");
        SetCondition(status, numbers.DisruptionsAllowed > 0, now);
        if (JsonNode.DeepEquals(pdb["status"], status))
            return;
        var updated = (JsonObject)pdb.DeepClone();
        updated["status"] = status;
        // A compare-and-swap: an eviction that spent an allowance meanwhile makes this 409, and it is recomputed.
        await context.Client.UpdateAsync(MoreResources.PodDisruptionBudgets, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    /// <summary>The recorded evictions still pending: the pod exists, is not deleting yet, and the entry is recent.</summary>
    private List<KeyValuePair<string, DateTimeOffset>> CurrentDisruptions(string key, JsonObject pdb, List<JsonObject> pods, DateTimeOffset now)
    {
        var pending = new List<KeyValuePair<string, DateTimeOffset>>();
        foreach (var (podName, value) in pdb.Obj("status", "disruptedPods") ?? [])
        {
            var pod = pods.FirstOrDefault(p => p.Name() == podName);
            if (pod is null || pod.IsDeleting() || value.Time() is not { } since)
                continue;
            var expiry = since + DeletionTimeout;
            if (expiry <= now)
                continue;
            pending.Add(KeyValuePair.Create(podName, since));
            Queue.AddAfter(key, expiry - now);
        }
        return pending;
    }

    private static void SetCondition(JsonObject status, bool allowed, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "DisruptionAllowed");
        var value = allowed ? "True" : "False";
        if (existing is not null && existing.Str("status") == value)
            return;
        var condition = new JsonObject
        {
            ["type"] = "DisruptionAllowed",
            ["status"] = value,
            ["reason"] = allowed ? "SufficientPods" : "InsufficientPods",
            ["message"] = "",
            ["lastTransitionTime"] = now.Rfc3339(),
            ["observedGeneration"] = status["observedGeneration"]?.DeepClone(),
        };
        if (existing is null)
            conditions.Add(condition);
        else
            conditions[conditions.IndexOf(existing)] = condition;
        status["conditions"] = conditions;
    }

    /// <summary>policy/v1: a null selector selects nothing, an empty one every pod of the namespace.</summary>
    private static bool Selects(JsonObject pdb, JsonObject pod)
    {
        if (pdb.At("spec", "selector") is not JsonObject selector)
            return false;
        try
        {
            return LabelSelector.FromJson(selector).Matches(PodState.Labels(pod));
        }
        catch (Orchestrator.Api.Errors.ApiException)
        {
            return false;
        }
    }
}
