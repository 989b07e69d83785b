using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;
using Orchestrator.Server.Resources;
using Orchestrator.Storage.Replication;

namespace Orchestrator.Server.CustomResources;

/// <summary>
/// Serves what CustomResourceDefinitions define, on every replica from its own copy of the log: each committed CRD
/// change re-syncs the registry (routing, discovery and OpenAPI follow it). The replica that leads Raft also writes
/// the CRDs' status (NamesAccepted, Established) and carries out their deletion (objects first, then the finalizer),
/// as apiextensions-apiserver's naming, establishing and finalizer controllers do.
/// </summary>
public sealed class CustomResourceRegistrar(
    ResourceStores stores,
    ReplicatedStore replica,
    TimeProvider clock,
    ILogger<CustomResourceRegistrar> logger) : BackgroundService
{
    private readonly SemaphoreSlim syncing = new(1, 1);

    /// <summary>What each CRD (by name) put in the registry, and the uid and revision it was made from.</summary>
    private ImmutableDictionary<string, Served> served = ImmutableDictionary<string, Served>.Empty;

    private ResourceStore Definitions => stores.For(CustomResourceDefinitions.Group, "customresourcedefinitions");

    /// <summary>
    /// Brings the registry up to what is committed now: a client that saw a CRD established through another replica
    /// finds it here too. Called when a request names a resource this replica does not serve, and for discovery.
    /// </summary>
    public async Task EnsureCurrentAsync(CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await replica.ReadBarrierAsync(deadline.Token);
            await SyncAsync(deadline.Token);
        }
        catch (Exception e) when (e is NoLeaderException or OperationCanceledException && !token.IsCancellationRequested)
        {
            // Without a leader this replica answers from what it has, as it does for every local read.
            logger.LogDebug("Could not catch up on custom resources: {Message}", e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var prefix = Definitions.Prefix(null);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var revision = await SyncAsync(stoppingToken);
                await foreach (var batch in stores.Objects.WatchAsync(prefix, revision, TimeSpan.FromSeconds(5), stoppingToken))
                {
                    await SyncAsync(stoppingToken);
                    if (replica.IsLeader)
                        await ReconcileAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug("Custom resource sync failed ({Message}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Registers the resources of every CRD in this replica's store, unregisters those gone; returns the revision read.</summary>
    private async Task<long> SyncAsync(CancellationToken token)
    {
        await syncing.WaitAsync(token);
        try
        {
            var (crds, revision, _) = await Definitions.ListAsync(null, ListOptions.Everything with { ResourceVersion = "0" }, token);
            // Older definitions keep their names when two claim the same ones, as kube's naming controller decides.
            crds.Sort((a, b) => string.CompareOrdinal(a.Str("metadata", "creationTimestamp"), b.Str("metadata", "creationTimestamp")) switch
            {
                0 => string.CompareOrdinal(a.Name(), b.Name()),
                var order => order,
            });
            var next = served;
            foreach (var name in served.Keys.Except(crds.Select(c => c.Name())))
            {
                Unregister(served[name]);
                next = next.Remove(name);
            }
            foreach (var crd in crds)
            {
                var name = crd.Name();
                var version = $"{crd.Uid()}/{crd.Long("metadata", "generation")}";
                if (next.TryGetValue(name, out var current) && current.Version == version)
                    continue;
                if (current is not null)
                {
                    Unregister(current);
                    next = next.Remove(name);
                }
                if (Conflict(crd) is not null)
                    continue;
                var resources = CustomResourceDefinitions.ResourcesOf(crd);
                foreach (var resource in resources)
                    stores.Registry.Register(resource);
                next = next.SetItem(name, new Served(version, [.. resources.Select(r => r.GroupVersionResource)]));
            }
            served = next;
            return revision;
        }
        finally
        {
            syncing.Release();
        }
    }

    private void Unregister(Served entry)
    {
        foreach (var resource in entry.Resources)
            stores.Registry.Unregister(resource);
    }

    /// <summary>Why a CRD's names cannot be served (a built-in or an older CRD has them), or null.</summary>
    private string? Conflict(JsonObject crd)
    {
        var group = crd.Str("spec", "group") ?? "";
        var plural = crd.Str("spec", "names", "plural") ?? "";
        var kind = crd.Str("spec", "names", "kind") ?? "";
        foreach (var resource in stores.Registry.Snapshot.Resources.Where(r => r.Group == group))
        {
            var ownedByOther = resource.Custom is null || !served.Any(s => s.Key == crd.Name() && s.Value.Resources.Contains(resource.GroupVersionResource));
            if (!ownedByOther)
                continue;
            if (resource.Plural == plural)
                return $"\"{plural}\" is already in use";
            if (resource.Kind == kind)
                return $"\"{kind}\" is already in use";
        }
        return null;
    }

    /// <summary>On the leader: status for new or changed CRDs, and deletion of terminating ones.</summary>
    private async Task ReconcileAsync(CancellationToken token)
    {
        var (crds, _, _) = await Definitions.ListAsync(null, ListOptions.Everything with { ResourceVersion = "0" }, token);
        foreach (var crd in crds)
        {
            try
            {
                if (crd.IsDeleting())
                    await CleanUpAsync(crd, token);
                else
                    await WriteStatusAsync(crd, token);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // Changed or gone meanwhile: the next watch event brings it back here.
            }
        }
    }

    private async Task WriteStatusAsync(JsonObject crd, CancellationToken token)
    {
        var conflict = served.ContainsKey(crd.Name()) ? null : Conflict(crd) ?? "not yet served";
        var now = clock.GetUtcNow();
        await Definitions.UpdateStatusAsync(null, crd.Name(), current =>
        {
            var updated = (JsonObject)current.DeepClone();
            updated.Metadata().Remove("resourceVersion");
            var status = updated.Child("status");
            if (conflict is null)
            {
                var names = current.Obj("spec", "names")?.DeepClone() as JsonObject ?? [];
                names["singular"] ??= (current.Str("spec", "names", "kind") ?? "").ToLowerInvariant();
                names["listKind"] ??= current.Str("spec", "names", "kind") + "List";
                status["acceptedNames"] = names;
                CrdConditions.Set(updated, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
                CrdConditions.Set(updated, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now);
                var stored = status["storedVersions"] as JsonArray ?? [];
                if (current.Arr("spec", "versions")?.OfType<JsonObject>().FirstOrDefault(v => v.Bool("storage") == true)?.Str("name") is { } storage
                    && !stored.Any(v => v?.GetValue<string>() == storage))
                {
                    stored = (JsonArray)stored.DeepClone();
                    stored.Add(storage);
                    status["storedVersions"] = stored;
                }
            }
            else
            {
                CrdConditions.Set(updated, "NamesAccepted", "False", "NameConflict", conflict, now);
                CrdConditions.Set(updated, "Established", "False", "NotAccepted", "not all names are accepted", now);
            }
            return updated;
        }, WriteContext.System("apiextensions-apiserver"), token);
    }

    /// <summary>Deletes every object of a terminating CRD, then lets the CRD go by removing the cleanup finalizer.</summary>
    private async Task CleanUpAsync(JsonObject crd, CancellationToken token)
    {
        if (!crd.Finalizers().Contains(CustomResourceDefinitionStrategy.CleanupFinalizer))
            return;
        var now = clock.GetUtcNow();
        var resource = stores.Registry.Snapshot.Resources.FirstOrDefault(r =>
            r.Custom is not null && r.Group == crd.Str("spec", "group") && r.Plural == crd.Str("spec", "names", "plural"));
        if (resource is not null)
        {
            var objects = stores.For(resource);
            await objects.DeleteCollectionAsync(null, ListOptions.Everything, DeleteOptions.None, WriteContext.System("apiextensions-apiserver"), token);
            var (left, _, _) = await objects.ListAsync(null, ListOptions.Everything, token);
            if (left.Count > 0)
            {
                // Held by their own finalizers: the CRD waits for them, as kube's does.
                await Definitions.UpdateStatusAsync(null, crd.Name(), current => WithTerminating(current, "InstanceDeletionCheck", $"could not confirm zero CustomResources remaining: {left.Count} remaining", now),
                    WriteContext.System("apiextensions-apiserver"), token);
                return;
            }
        }
        await Definitions.GuaranteedUpdateAsync(null, crd.Name(), null, current =>
        {
            var updated = (JsonObject)current.DeepClone();
            updated.Metadata().Remove("resourceVersion");
            var finalizers = new JsonArray([.. current.Finalizers().Where(f => f != CustomResourceDefinitionStrategy.CleanupFinalizer).Select(f => (JsonNode)JsonValue.Create(f)!)]);
            updated.Metadata()["finalizers"] = finalizers;
            return updated;
        }, WriteContext.System("apiextensions-apiserver"), token);
    }

    private static JsonObject WithTerminating(JsonObject current, string reason, string message, DateTimeOffset now)
    {
        var updated = (JsonObject)current.DeepClone();
        updated.Metadata().Remove("resourceVersion");
        CrdConditions.Set(updated, "Terminating", "True", reason, message, now);
        return updated;
    }

    private sealed record Served(string Version, ImmutableArray<GroupVersionResource> Resources);
}
