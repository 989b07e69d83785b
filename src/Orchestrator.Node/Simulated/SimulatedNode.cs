namespace Orchestrator.Node.Simulated;

/// <summary>One simulated node: its identity, whether its "kubelet" is up, and its pod IPs in use.</summary>
public sealed class SimulatedNode(string name, int index)
{
    private const int FirstHost = 2;
    private const int LastHost = 254;

    private readonly Dictionary<string, int> addresses = new(StringComparer.Ordinal); // pod uid -> host part
    private int nextHost = FirstHost;
    private volatile bool alive = true;

    public string Name { get; } = name;

    public int Index { get; } = index;

    public string Address { get; } = AddressPlan.NodeAddress(index);

    /// <summary>False while the node is "down": no lease renewals, no pod handling (to test node failure).</summary>
    public bool Alive
    {
        get => alive;
        set => alive = value;
    }

    /// <summary>The pod's IP: the one it already has, else the next free one of the node's /24.</summary>
    public string PodAddress(string uid)
    {
        lock (addresses)
        {
            if (addresses.TryGetValue(uid, out var host))
                return AddressPlan.PodAddress(Index, host);
            for (var tries = 0; tries <= LastHost - FirstHost; tries++)
            {
                host = nextHost;
                nextHost = nextHost >= LastHost ? FirstHost : nextHost + 1;
                if (!addresses.ContainsValue(host))
                    break;
            }
            addresses[uid] = host;
            return AddressPlan.PodAddress(Index, host);
        }
    }

    public void Release(string uid)
    {
        lock (addresses)
            addresses.Remove(uid);
    }
}
