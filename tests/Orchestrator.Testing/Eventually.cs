using System.Diagnostics;

namespace Orchestrator.Testing;

/// <summary>Polls a condition until it holds or a timeout passes; failures while polling are remembered, not thrown.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (watch.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                    return;
                last = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Condition not met within {timeout}. Last error: {last?.Message}\n{diagnostics?.Invoke()}");
    }
}
