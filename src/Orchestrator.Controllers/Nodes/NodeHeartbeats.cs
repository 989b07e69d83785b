namespace Orchestrator.Controllers.Nodes;

/// <summary>
/// When each node was last heard from, by this process's clock: the moment a changed lease renewTime was
/// observed, as kube's node lifecycle controller does, so clock skew between a node and the control plane
/// does not matter. A fresh term starts everyone at "now", giving every node a full grace period.
/// </summary>
public sealed class NodeHeartbeats(TimeProvider clock)
{
    private readonly Dictionary<string, (string RenewTime, long ObservedAt)> probes = new(StringComparer.Ordinal);

    public void Observe(string node, string renewTime)
    {
        lock (probes)
        {
            if (probes.TryGetValue(node, out var probe) && probe.RenewTime == renewTime)
                return;
            probes[node] = (renewTime, clock.GetTimestamp());
        }
    }

    /// <summary>A node seen for the first time counts as heard from now.</summary>
    public void Seen(string node)
    {
        lock (probes)
            probes.TryAdd(node, ("", clock.GetTimestamp()));
    }

    public void Forget(string node)
    {
        lock (probes)
            probes.Remove(node);
    }

    public TimeSpan Silence(string node)
    {
        lock (probes)
        {
            if (!probes.TryGetValue(node, out var probe))
            {
                probe = ("", clock.GetTimestamp());
                probes[node] = probe;
            }
            return clock.GetElapsedTime(probe.ObservedAt);
        }
    }
}
