using System.Collections.Concurrent;

namespace Orchestrator.Node.Images;

/// <summary>
/// Concurrent callers asking for the same key share one running task (one download, one unpack).
/// The shared work runs under the owner's lifetime token, not a caller's, so one caller giving up
/// does not fail the others; each caller still stops waiting when its own token fires.
/// </summary>
internal sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> running = new(StringComparer.Ordinal);

    public Task<TResult> RunAsync(string key, Func<Task<TResult>> work, CancellationToken token)
    {
        var flight = running.GetOrAdd(key, k => new Lazy<Task<TResult>>(() => RunAndForgetAsync(k, work)));
        return flight.Value.WaitAsync(token);
    }

    private async Task<TResult> RunAndForgetAsync(string key, Func<Task<TResult>> work)
    {
        try
        {
            // Yield so the Lazy finishes publishing before the work can complete and remove itself.
            await Task.Yield();
            return await work().ConfigureAwait(false);
        }
        finally
        {
            running.TryRemove(key, out _);
        }
    }
}
