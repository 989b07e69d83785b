using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Informers;

namespace Orchestrator.Controllers.Runtime;

/// <summary>
/// The usual shape of a controller: informer events become keys ("namespace/name") on a work queue;
/// workers reconcile one key at a time from the caches; a failure comes back with backoff. Reconcile
/// must be level-based: it looks at the current state, never at the event that queued the key.
/// </summary>
public abstract class QueueController : IController
{
    private WorkQueue? queue;

    public abstract string Name { get; }

    protected WorkQueue Queue => queue ?? throw new InvalidOperationException("the controller is not registered");

    protected ILogger Logger { get; private set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Register(ControllerContext context)
    {
        queue = new WorkQueue(context.Clock);
        Logger = context.LoggerFactory.CreateLogger(GetType());
        Subscribe(context);
    }

    /// <summary>Subscribes to the informers this controller reads, mapping their events to keys.</summary>
    protected abstract void Subscribe(ControllerContext context);

    /// <summary>Brings the object named by <paramref name="key"/> to its desired state.</summary>
    protected abstract Task ReconcileAsync(ControllerContext context, string key, CancellationToken token);

    public virtual async Task RunAsync(ControllerContext context, CancellationToken token)
    {
        var workers = Enumerable.Range(0, Math.Max(1, context.Settings.Workers)).Select(_ => WorkAsync(context, token));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(ControllerContext context, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await Queue.TakeAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await ReconcileAsync(context, key, token).ConfigureAwait(false);
                Queue.Forget(key);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Conflicts are expected (someone wrote first): reconcile again from the newer state.
                if (e is KubeApiException { Code: 409 })
                    Logger.LogDebug("{Controller}: {Key} changed meanwhile; retrying", Name, key);
                else
                    Logger.LogWarning(e, "{Controller}: reconciling {Key} failed; retrying", Name, key);
                Queue.AddRateLimited(key);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    /// <summary>"namespace/name", or "name" for cluster-scoped objects.</summary>
    public static string KeyOf(JsonObject obj)
    {
        var metadata = obj["metadata"];
        var ns = metadata?["namespace"]?.GetValue<string>();
        var name = metadata?["name"]?.GetValue<string>() ?? "";
        return string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
    }

    public static (string? Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Subscribes so that every change of <paramref name="resource"/> queues the object's own key.</summary>
    protected void QueueOwnKeys(ControllerContext context, ApiResource resource) =>
        context.Informers.Subscribe(resource, change => Queue.Add(KeyOf(change.Object)));

    /// <summary>Subscribes so that every change of a dependent queues the key of its controller owner of kind <paramref name="ownerKind"/>.</summary>
    protected void QueueControllerOwner(ControllerContext context, ApiResource resource, string ownerKind)
    {
        context.Informers.Subscribe(resource, change =>
        {
            foreach (var obj in new[] { change.Object, change.Previous })
            {
                if (obj is not null && ControllerOwner(obj, ownerKind) is { } owner)
                    Queue.Add(owner);
            }
        });
    }

    /// <summary>The key of the object's controller ownerReference of the given kind, if any.</summary>
    public static string? ControllerOwner(JsonObject obj, string ownerKind)
    {
        foreach (var reference in obj["metadata"]?["ownerReferences"] as JsonArray ?? [])
        {
            if (reference?["controller"]?.GetValue<bool>() == true && reference["kind"]?.GetValue<string>() == ownerKind)
            {
                var ns = obj["metadata"]?["namespace"]?.GetValue<string>();
                var name = reference["name"]?.GetValue<string>() ?? "";
                return string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
            }
        }
        return null;
    }
}
