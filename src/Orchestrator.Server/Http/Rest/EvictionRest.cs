using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Selectors;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http.Rest;

// POST pods/{name}/eviction (policy/v1 Eviction), as kube-apiserver's eviction REST: a pod covered by a
// PodDisruptionBudget is deleted only after the budget's status.disruptionsAllowed has been decremented
// by a compare-and-swap, so two concurrent evictions can never both spend the last allowance.
public sealed class EvictionRest(ResourceStores stores, TimeProvider clock) : ISubresourceRest
{
    private const string MultiplePdbMessage = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
    private const string ViolatesBudgetMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    public async Task HandleAsync(RestRequest request)
    {
        var token = request.Token;
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, token);
        var name = request.Name;
        if (body.Str("metadata", "name") is { Length: > 0 } evictee && evictee != name)
            throw ApiException.BadRequest($"name in URL does not match name in Eviction object: {name} vs {evictee}");
        var given = body.Obj("deleteOptions");
        var dryRun = request.DryRun || given.Arr("dryRun")?.Any(d => d?.GetValue<string>() == "All") == true;

        await ConflictRetry.RunAsync(async _ =>
        {
            var pod = await request.Store.GetAsync(request.Namespace, name, local: false, token);
            // Not counted as healthy by any budget (not running and ready, or going already): its eviction cannot lower availability.
            if (IsRunningAndReady(pod) && !pod.IsDeleting())
                await SpendDisruptionAsync(request, pod, dryRun, token);
            return await request.Store.DeleteAsync(request.Namespace, name, EvictionDeleteOptions(given, pod), request.Write() with { DryRun = dryRun }, token);
        }, e => ConflictRetry.IsConflict(e) && given.Obj("preconditions") is null);
        var success = ApiResponses.Success(name, "", "pods", null);
        success.Remove("details");
        success["code"] = 201;
        await ApiResponses.WriteJsonAsync(request.Context, 201, success);
    }

    /// <summary>Checks the pod's one budget and records the disruption in its status; throws 429 when none is allowed.</summary>
    private async Task SpendDisruptionAsync(RestRequest request, JsonObject pod, bool dryRun, CancellationToken token)
    {
        var budgetStore = stores.For("policy", "poddisruptionbudgets");
        var (items, _, _) = await budgetStore.ListAsync(request.Namespace, ListOptions.Everything, token);
        var labels = pod.Obj("metadata", "labels");
        var budgets = items.Where(i => SelectsPod(i, labels)).ToList();
        if (budgets.Count == 0)
            return;
        if (budgets.Count > 1)
            throw ApiException.InternalError(MultiplePdbMessage);
        var pdb = budgets[0];
        var pdbName = pdb.Name();
        // Already granted (a retry after the pod delete lost a race): the budget counts it as disrupted, spend nothing twice.
        if (pdb.Obj("status", "disruptedPods")?[pod.Name()] is not null)
            return;
        if ((pdb.Long("status", "observedGeneration") ?? 0) < (pdb.Long("metadata", "generation") ?? 0))
            throw BudgetViolation($"The disruption budget {pdbName} is still being processed by the server.");
        var allowed = pdb.Long("status", "disruptionsAllowed") ?? 0;
        if (allowed < 0)
            throw ApiException.Forbidden(budgetStore.Resource.GroupResource, pdbName, "pdb disruptions allowed is negative");
        if (allowed == 0)
            throw BudgetViolation($"The disruption budget {pdbName} needs {pdb.Long("status", "desiredHealthy") ?? 0} healthy pods and has {pdb.Long("status", "currentHealthy") ?? 0} currently");
        if (dryRun)
            return;
        var updated = (JsonObject)pdb.DeepClone();
        var status = updated.Child("status");
        status["disruptionsAllowed"] = allowed - 1;
        // The disruption controller keeps counting the pod as unhealthy until it is gone or the entry times out.
        status.Child("disruptedPods")[pod.Name()] = Json.Timestamp(clock.GetUtcNow());
        // Pinned to the budget as read: a concurrent eviction that spent it first makes this one a conflict, tried again.
        await budgetStore.GuaranteedUpdateAsync(request.Namespace, pdbName, null, _ => updated, WriteContext.System("orchestrator-eviction"), token);
    }

    private static ApiException BudgetViolation(string cause) =>
        new(Status.Failed(429, StatusReasons.TooManyRequests, ViolatesBudgetMessage, new StatusDetails
        {
            Causes = [new StatusCause("DisruptionBudget", cause, "")],
        }));

    /// <summary>policy/v1: a null selector selects nothing, an empty one every pod of the namespace.</summary>
    private static bool SelectsPod(JsonObject pdb, JsonObject? labels)
    {
        if (pdb.Obj("spec")?["selector"] is not JsonObject selector)
            return false;
        try
        {
            return LabelSelector.FromJson(selector).Matches(labels);
        }
        catch (ApiException)
        {
            return false;
        }
    }

    private static bool IsRunningAndReady(JsonObject pod) =>
        pod.Str("status", "phase") == "Running"
        && pod.Arr("status", "conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true;

    /// <summary>The Eviction's deleteOptions; without preconditions, the pod's uid (a recreated namesake is not evicted).</summary>
    private static DeleteOptions EvictionDeleteOptions(JsonObject? given, JsonObject pod)
    {
        var preconditions = given.Obj("preconditions")?.DeepClone() as JsonObject
            ?? new JsonObject { ["uid"] = pod.Str("metadata", "uid") };
        var grace = given.Long("gracePeriodSeconds");
        return new DeleteOptions(given.Str("propagationPolicy"), grace is < 0 ? 0 : grace,
            given?["orphanDependents"] is JsonValue o && o.TryGetValue(out bool b) ? b : null, Preconditions.FromJson(preconditions), DryRun: false);
    }
}
