using Orchestrator.Client;
using Orchestrator.Client.Informers;

namespace Orchestrator.Controllers.Runtime;

/// <summary>
/// One informer per resource, shared by every controller of a leadership term: controllers subscribe
/// before <see cref="StartAsync"/>, and each change is handed to every subscriber in order.
/// </summary>
public sealed class SharedInformers(KubeClient client) : IAsyncDisposable
{
    private readonly Dictionary<ApiResource, Entry> entries = [];
    private bool started;

    /// <summary>The cache of a resource (all namespaces); made on first use.</summary>
    public Informer For(ApiResource resource) => Get(resource).Informer;

    /// <summary>Calls <paramref name="handler"/> for every change of the resource, after the cache has it.</summary>
    public void Subscribe(ApiResource resource, Action<InformerEvent> handler)
    {
        if (started)
            throw new InvalidOperationException("subscribe before the informers start");
        Get(resource).Handlers.Add(handler);
    }

    /// <summary>Starts every informer and waits until all have listed.</summary>
    public async Task StartAsync(CancellationToken token)
    {
        started = true;
        foreach (var entry in entries.Values)
            entry.Informer.Start();
        await Task.WhenAll(entries.Values.Select(e => e.Informer.WaitForSyncAsync(token))).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in entries.Values)
            await entry.Informer.DisposeAsync().ConfigureAwait(false);
    }

    private Entry Get(ApiResource resource)
    {
        if (entries.TryGetValue(resource, out var entry))
            return entry;
        if (started)
            throw new InvalidOperationException("informers are added before they start");
        var handlers = new List<Action<InformerEvent>>();
        var informer = new Informer(client, resource, null, (change, _) =>
        {
            foreach (var handler in handlers)
                handler(change);
            return ValueTask.CompletedTask;
        });
        entry = new Entry(informer, handlers);
        entries[resource] = entry;
        return entry;
    }

    private sealed record Entry(Informer Informer, List<Action<InformerEvent>> Handlers);
}
