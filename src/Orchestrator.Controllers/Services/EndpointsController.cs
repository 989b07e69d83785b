using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Services;

/// <summary>
/// Keeps an Endpoints object beside every service that has a selector, listing the addresses of the pods
/// it selects (ready and not ready), as kube's endpoints controller. Services without a selector own
/// their Endpoints themselves (manually managed) and are left alone.
/// </summary>
public sealed class EndpointsController : QueueController
{
    public override string Name => "endpoints";

    protected override void Subscribe(ControllerContext context)
    {
        QueueOwnKeys(context, ApiResource.Services);
        QueueOwnKeys(context, MoreResources.Endpoints);
        context.Informers.Subscribe(ApiResource.Pods, change =>
        {
            var services = context.Informers.For(ApiResource.Services);
            foreach (var pod in new[] { change.Object, change.Previous })
            {
                if (pod is null)
                    continue;
                foreach (var service in services.List())
                {
                    if (service.Namespace() == pod.Namespace() && Selects(service, pod))
                        Queue.Add(KeyOf(service));
                }
            }
        });
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var (ns, name) = SplitKey(key);
        var service = context.Informers.For(ApiResource.Services).Get(ns, name);
        var existing = context.Informers.For(MoreResources.Endpoints).Get(ns, name);
        if (service is null)
        {
            if (existing is not null)
                await DeleteAsync(context, existing, token).ConfigureAwait(false);
            return;
        }
        if (service.Obj("spec", "selector") is not { Count: > 0 })
            return;

        var pods = context.Informers.For(ApiResource.Pods).List().Where(p => p.Namespace() == ns && Selects(service, p));
        var subsets = EndpointSubsets.Compute(service, pods);
        if (existing is null)
        {
            var endpoints = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Endpoints",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = service.Obj("metadata", "labels")?.DeepClone() },
                ["subsets"] = subsets,
            };
            await context.Client.CreateAsync(MoreResources.Endpoints, ns, endpoints, token: token).ConfigureAwait(false);
            return;
        }
        if (JsonNode.DeepEquals(existing["subsets"] ?? new JsonArray(), subsets))
            return;
        var updated = (JsonObject)existing.DeepClone();
        updated["subsets"] = subsets;
        // The cached resourceVersion rides along: a stale cache gets 409 and a retry from newer state.
        await context.Client.UpdateAsync(MoreResources.Endpoints, updated, token: token).ConfigureAwait(false);
    }

    private static async Task DeleteAsync(ControllerContext context, JsonObject endpoints, CancellationToken token)
    {
        try
        {
            await context.Client.DeleteAsync(MoreResources.Endpoints, endpoints.Namespace(), endpoints.Name(),
                new DeleteOptions { PreconditionUid = endpoints.Uid() }, token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
        }
    }

    private static bool Selects(JsonObject service, JsonObject pod)
    {
        if (service.Obj("spec", "selector") is not { Count: > 0 } selector)
            return false;
        var labels = PodState.Labels(pod);
        return selector.All(pair => labels.Str(pair.Key) is { } value && value == pair.Value?.GetValue<string>());
    }
}
