using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Client.Watching;

namespace Orchestrator.Testing;

/// <summary>Bounded waits on objects seen through the API.</summary>
public static class ClientWaits
{
    /// <summary>Waits until the object is gone (404), failing the test after <paramref name="timeout"/>.</summary>
    public static Task WaitGoneAsync(this KubeClient client, ApiResource resource, string? ns, string name, TimeSpan timeout) =>
        Eventually.HoldsAsync(async () =>
        {
            try
            {
                await client.GetAsync(resource, ns, name);
                return false;
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                return true;
            }
        }, timeout);

    /// <summary>
    /// Watches <paramref name="resource"/> strictly after <paramref name="resourceVersion"/>, resuming from the last event
    /// when a stream ends or fails, and hands each added or modified object to <paramref name="observe"/> until it returns
    /// true or <paramref name="token"/> is cancelled (benchmarks timing what the watch shows).
    /// </summary>
    public static async Task WatchUntilAsync(this KubeClient client, ApiResource resource, string? ns, string resourceVersion,
        Func<JsonObject, bool> observe, CancellationToken token)
    {
        var version = resourceVersion;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var options = new WatchOptions { ResourceVersion = version, TimeoutSeconds = 600 };
                await foreach (var change in client.WatchAsync(resource, ns, options, token))
                {
                    version = change.ResourceVersion ?? version;
                    if (change.Type is (WatchEventTypes.Added or WatchEventTypes.Modified) && observe(change.Object))
                        return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"  watch restarted: {e.Message}");
            }
        }
    }
}
