using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Orchestrator.Client;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// Keeps the "kubernetes" Service and its Endpoints, as kube-apiserver's lease endpoint reconciler: every replica
/// renews its identity Lease every third of the lease duration, makes sure the Service exists, then rewrites the
/// Endpoints from the unexpired leases. A replica that joins is listed on its first round (within a second of its
/// API taking writes); one that stops drops out when its lease expires, i.e. within lease duration + one round
/// (15 s + 5 s by default). Every replica writes the same Endpoints, computed in a stable order, with the read
/// resourceVersion as precondition, so concurrent rounds converge instead of flapping.
/// </summary>
public sealed partial class KubernetesServiceReconciler(
    ServerOptions options,
    LocalApiClients clients,
    TimeProvider clock,
    ILogger<KubernetesServiceReconciler> logger) : BackgroundService
{
    private static readonly ApiResource Endpoints = new("", "v1", "endpoints", true);

    // Before the first success (no leader yet, namespaces not made yet) look again soon.
    private static readonly TimeSpan StartupRetry = TimeSpan.FromMilliseconds(500);

    private readonly string host = Environment.MachineName;
    private readonly IPEndPoint address = new(AdvertisedAddress(options), options.ApiEndpoint.Port);

    // The address kube reserves for this service: the allocator never hands it out at random.
    private readonly string firstServiceIp = new Resources.Strategies.ServiceIpAllocator(options.ServiceCidr).First;

    private TimeSpan Round => options.ApiServerLeaseDuration / 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = clients.Create("system:apiserver", "kube-apiserver", maxConcurrentRequests: 4, groups: ["system:masters"]);
        var name = ApiServerLease.NameFor(host, options.ApiEndpoint);
        // A new holder per process start, as kube-apiserver's identity: a restart is visible in the lease.
        var holder = $"{name}_{Guid.NewGuid()}";
        var healthy = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Rounds start every Round, however long one takes: a slow API must not stretch the renewal period.
            var started = clock.GetUtcNow();
            try
            {
                await RenewAsync(client, name, holder, stoppingToken).ConfigureAwait(false);
                await EnsureServiceAsync(client, stoppingToken).ConfigureAwait(false);
                await ReconcileEndpointsAsync(client, stoppingToken).ConfigureAwait(false);
                if (!healthy)
                    LogListed(address, name);
                healthy = true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Conflicts (another replica wrote first) and elections are routine: the next round starts from fresh reads.
                // A 422 will not heal by itself (say, another service holds the first address): always worth a warning.
                if ((healthy && e is not KubeApiException { Code: 409 }) || e is KubeApiException { Code: 422 })
                    LogRoundFailed(e.Message);
                else if (!healthy)
                    LogNotYet(e.Message);
                healthy = healthy && e is KubeApiException { Code: 409 };
            }
            try
            {
                var wait = (healthy ? Round : StartupRetry) - (clock.GetUtcNow() - started);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RenewAsync(KubeClient client, string name, string holder, CancellationToken token)
    {
        var current = await GetOrNullAsync(client, ApiResource.Leases, ApiServerLease.Namespace, name, token).ConfigureAwait(false);
        var lease = ApiServerLease.Renewed(current, name, holder, host, address, options.ApiServerLeaseDuration, clock.GetUtcNow());
        if (current is null)
            await client.CreateAsync(ApiResource.Leases, ApiServerLease.Namespace, lease, token: token).ConfigureAwait(false);
        else
            await client.UpdateAsync(ApiResource.Leases, lease, token: token).ConfigureAwait(false);
    }

    /// <summary>Creates the Service when absent (with the first address of the range); repairs its labels and port when someone broke them.</summary>
    private async Task EnsureServiceAsync(KubeClient client, CancellationToken token)
    {
        var current = await GetOrNullAsync(client, ApiResource.Services, KubernetesServiceObjects.Namespace, KubernetesServiceObjects.Name, token)
            .ConfigureAwait(false);
        var clusterIp = firstServiceIp;
        if (current is null)
        {
            await client.CreateAsync(ApiResource.Services, KubernetesServiceObjects.Namespace,
                KubernetesServiceObjects.Service(clusterIp, options.ApiEndpoint.Port), token: token).ConfigureAwait(false);
            return;
        }
        if (KubernetesServiceObjects.IsIntact(current))
            return;
        var desired = KubernetesServiceObjects.Service(current.Str("spec", "clusterIP") ?? clusterIp, options.ApiEndpoint.Port);
        var repaired = current.Copy();
        repaired.Child("metadata")["labels"] = desired.At("metadata", "labels")!.DeepClone();
        repaired.Child("spec")["ports"] = desired.At("spec", "ports")!.DeepClone();
        await client.UpdateAsync(ApiResource.Services, repaired, token: token).ConfigureAwait(false);
    }

    private async Task ReconcileEndpointsAsync(KubeClient client, CancellationToken token)
    {
        var leases = await client.ListAsync(ApiResource.Leases, ApiServerLease.Namespace, new ListOptions { LabelSelector = ApiServerLease.Selector }, token)
            .ConfigureAwait(false);
        var now = clock.GetUtcNow();
        await DeleteAbandonedAsync(client, leases.Items, now, token).ConfigureAwait(false);
        var live = ApiServerLease.LiveAddresses(leases.Items, now);
        if (live.Count == 0)
            return; // not even our own lease is visible: never empty the Endpoints on a read that cannot be right
        var subsets = KubernetesServiceObjects.Subsets(live);
        var current = await GetOrNullAsync(client, Endpoints, KubernetesServiceObjects.Namespace, KubernetesServiceObjects.Name, token).ConfigureAwait(false);
        if (current is null)
        {
            await client.CreateAsync(Endpoints, KubernetesServiceObjects.Namespace, KubernetesServiceObjects.Endpoints(subsets), token: token).ConfigureAwait(false);
            return;
        }
        if (current.At("subsets").SameAs(subsets))
            return;
        var updated = current.Copy();
        updated["subsets"] = subsets;
        await client.UpdateAsync(Endpoints, updated, token: token).ConfigureAwait(false);
        LogEndpoints(string.Join(", ", live));
    }

    /// <summary>Every replica may try; the uid precondition and 404/409 make the race harmless.</summary>
    private static async Task DeleteAbandonedAsync(KubeClient client, IEnumerable<System.Text.Json.Nodes.JsonObject> leases, DateTimeOffset now, CancellationToken token)
    {
        foreach (var lease in ApiServerLease.Abandoned(leases, now))
        {
            try
            {
                await client.DeleteAsync(ApiResource.Leases, ApiServerLease.Namespace, lease.Name(), new DeleteOptions { PreconditionUid = lease.Uid() }, token)
                    .ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code is 404 or 409)
            {
            }
        }
    }

    private static async Task<System.Text.Json.Nodes.JsonObject?> GetOrNullAsync(KubeClient client, ApiResource resource, string ns, string name, CancellationToken token)
    {
        try
        {
            return await client.GetAsync(resource, ns, name, token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The address other clients reach this replica's API at: --advertise-address, else the listen address, else (when
    /// listening on every interface) the first IPv4 address of an interface that is up and not loopback, as kube picks one.
    /// </summary>
    private static IPAddress AdvertisedAddress(ServerOptions options)
    {
        if (options.AdvertiseAddress is { } advertised)
            return advertised;
        if (!options.ApiEndpoint.Address.Equals(IPAddress.Any) && !options.ApiEndpoint.Address.Equals(IPAddress.IPv6Any))
            return options.ApiEndpoint.Address;
        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "This replica's API {Address} is listed in the kubernetes Endpoints (lease {Lease})")]
    private partial void LogListed(IPEndPoint address, string lease);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Reconciling the kubernetes service failed ({Message}); retrying")]
    private partial void LogRoundFailed(string message);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "The kubernetes service is not reconciled yet ({Message}); retrying")]
    private partial void LogNotYet(string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "kubernetes Endpoints now list {Addresses}")]
    private partial void LogEndpoints(string addresses);
}
