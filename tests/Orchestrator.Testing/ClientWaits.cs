using Orchestrator.Client;

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
}
