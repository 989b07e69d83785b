using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Services;

/// <summary>
/// Gives services of type LoadBalancer an ingress IP from <see cref="ControllerSettings.LoadBalancerPool"/>.
/// </summary>
/// <remarks>
/// Uniqueness rests on the API server, not on this controller's cache: every address in use is claimed by a
/// ConfigMap "loadbalancer-ip-a.b.c.d" in kube-system, created before the IP is written into a service's
/// status. A create of an existing name fails with AlreadyExists, so even two controller terms racing (a
/// deposed leader still finishing a reconcile) cannot hand out one address twice. The claim records the
/// service's key and uid; a claim whose service is gone, is not a LoadBalancer any more, or holds another
/// address is deleted, which returns the address to the pool. Claims carry no ownerReference: a reference
/// across namespaces counts as absent, and a garbage collector would delete every claim.
/// </remarks>
public sealed class LoadBalancerController : QueueController
{
    private const string ClaimNamespace = "kube-system";
    private const string ClaimPrefix = "loadbalancer-ip-";
    private const string ClaimLabel = "orchestrator.io/loadbalancer-ip";

    public override string Name => "loadbalancer";

    protected override void Subscribe(ControllerContext context)
    {
        QueueOwnKeys(context, ApiResource.Services);
        context.Informers.Subscribe(ApiResource.ConfigMaps, change =>
        {
            if (IsClaim(change.Object) && change.Object.Str("data", "service") is { } service)
                Queue.Add(service);
        });
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var (ns, name) = SplitKey(key);
        var service = context.Informers.For(ApiResource.Services).Get(ns, name);
        var claims = Claims(context).Where(c => c.Str("data", "service") == key).ToList();
        if (service is null || service.IsDeleting() || service.Str("spec", "type") != "LoadBalancer")
        {
            foreach (var claim in claims)
                await ReleaseAsync(context, claim, token).ConfigureAwait(false);
            if (service is not null && service.Items("status", "loadBalancer", "ingress").Any())
                await WriteIngressAsync(context, service, null, token).ConfigureAwait(false);
            return;
        }

        // A claim left by an earlier service of the same name is not this one's.
        foreach (var stale in claims.Where(c => c.Str("data", "uid") != service.Uid()))
            await ReleaseAsync(context, stale, token).ConfigureAwait(false);
        var mine = claims.Where(c => c.Str("data", "uid") == service.Uid()).ToList();
        var current = service.Items("status", "loadBalancer", "ingress").Select(i => i.Str("ip")).FirstOrDefault(ip => ip is not null);

        string ip;
        if (current is not null && mine.Any(c => c.Str("data", "ip") == current))
            ip = current;
        else if (current is not null && await TryClaimAsync(context, service, current, token).ConfigureAwait(false))
            ip = current;
        else if (mine.FirstOrDefault() is { } held)
            ip = held.Str("data", "ip")!;
        else
            ip = await ClaimFreeAsync(context, service, token).ConfigureAwait(false);

        if (current != ip)
            await WriteIngressAsync(context, service, ip, token).ConfigureAwait(false);
        // Only once the service shows its address are other claims of it surplus (a failed status write keeps them).
        else
        {
            foreach (var surplus in mine.Where(c => c.Str("data", "ip") != ip))
                await ReleaseAsync(context, surplus, token).ConfigureAwait(false);
        }
    }

    private async Task<string> ClaimFreeAsync(ControllerContext context, JsonObject service, CancellationToken token)
    {
        var taken = Claims(context).Select(c => c.Str("data", "ip")).ToHashSet(StringComparer.Ordinal);
        foreach (var ip in new AddressPool(context.Settings.LoadBalancerPool).Addresses())
        {
            if (!taken.Contains(ip) && await TryClaimAsync(context, service, ip, token).ConfigureAwait(false))
                return ip;
        }
        throw new InvalidOperationException($"the load balancer pool {context.Settings.LoadBalancerPool} is exhausted");
    }

    /// <summary>Creates the claim of <paramref name="ip"/>; true if this service holds it (now or already).</summary>
    private static async Task<bool> TryClaimAsync(ControllerContext context, JsonObject service, string ip, CancellationToken token)
    {
        var claim = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = ClaimPrefix + ip,
                ["namespace"] = ClaimNamespace,
                ["labels"] = new JsonObject { [ClaimLabel] = "true" },
            },
            ["data"] = new JsonObject { ["ip"] = ip, ["service"] = KeyOf(service), ["uid"] = service.Uid() },
        };
        try
        {
            await context.Client.CreateAsync(ApiResource.ConfigMaps, ClaimNamespace, claim, token: token).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            var existing = await context.Client.GetAsync(ApiResource.ConfigMaps, ClaimNamespace, ClaimPrefix + ip, token).ConfigureAwait(false);
            return existing.Str("data", "uid") == service.Uid();
        }
    }

    private static async Task WriteIngressAsync(ControllerContext context, JsonObject service, string? ip, CancellationToken token)
    {
        var updated = (JsonObject)service.DeepClone();
        var status = updated["status"] as JsonObject ?? [];
        updated["status"] = status;
        status["loadBalancer"] = ip is null
            ? new JsonObject()
            : new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = ip, ["ipMode"] = "VIP" }) };
        await context.Client.UpdateAsync(ApiResource.Services, updated, subresource: "status", token: token).ConfigureAwait(false);
    }

    private static async Task ReleaseAsync(ControllerContext context, JsonObject claim, CancellationToken token)
    {
        try
        {
            await context.Client.DeleteAsync(ApiResource.ConfigMaps, ClaimNamespace, claim.Name(),
                new DeleteOptions { PreconditionUid = claim.Uid() }, token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    private static IEnumerable<JsonObject> Claims(ControllerContext context) =>
        context.Informers.For(ApiResource.ConfigMaps).List().Where(IsClaim);

    private static bool IsClaim(JsonObject obj) =>
        obj.Namespace() == ClaimNamespace && obj.Str("metadata", "labels", ClaimLabel) == "true" && obj.Name().StartsWith(ClaimPrefix, StringComparison.Ordinal);
}
