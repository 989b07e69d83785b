using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// Nodes and what is placed on them: pods the API says are bound, plus pods this scheduler has decided on
/// but whose binding the informer has not shown yet ("assumed", as in kube-scheduler), so consecutive
/// decisions never double-book a node. Not thread-safe: the owner serialises access with <see cref="Gate"/>.
/// </summary>
public sealed class SchedulerCache
{
    private readonly Dictionary<string, NodeState> nodes = new(StringComparer.Ordinal);
    private readonly List<NodeState> order = [];
    private readonly Dictionary<string, int> positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Placement> pods = new(StringComparer.Ordinal);

    public object Gate { get; } = new();

    /// <summary>Known nodes in a stable order (for round-robin sampling); index with <see cref="NodeCount"/>.</summary>
    public IReadOnlyList<NodeState> Nodes => order;

    public int NodeCount => order.Count;

    public int PodCount => pods.Count;

    public void SetNode(JsonObject node)
    {
        var name = node.Name();
        var state = GetOrAdd(name);
        state.SetNode(node);
        if (!positions.ContainsKey(name))
        {
            positions[name] = order.Count;
            order.Add(state);
        }
    }

    public void RemoveNode(string name)
    {
        if (!positions.Remove(name, out var position))
            return;
        // Swap-remove keeps removal O(1); the sampling order changing is harmless.
        var last = order[^1];
        order[position] = last;
        order.RemoveAt(order.Count - 1);
        if (last.Name != name)
            positions[last.Name] = position;
        if (nodes.TryGetValue(name, out var state) && state.IsEmpty)
            nodes.Remove(name);
    }

    /// <summary>Records a pod the API shows bound to <paramref name="nodeName"/> (replacing an assumption).</summary>
    public void SetBoundPod(string key, string nodeName, ResourceAmounts requests, string? owner)
    {
        if (pods.TryGetValue(key, out var old))
        {
            if (!old.Assumed && old.Node == nodeName && old.Requests == requests && old.Owner == owner)
                return;
            Unplace(old);
        }
        Place(new Placement(key, nodeName, requests, owner, Assumed: false));
    }

    public bool RemovePod(string key)
    {
        if (!pods.Remove(key, out var old))
            return false;
        Unplace(old);
        return true;
    }

    public bool Contains(string key) => pods.ContainsKey(key);

    public void Assume(PodRequirements pod, NodeState node) =>
        Place(new Placement(pod.Key, node.Name, pod.Requests, pod.Owner, Assumed: true));

    /// <summary>Drops an assumption whose binding failed; a pod the API already shows bound stays.</summary>
    public void ForgetAssumed(string key)
    {
        if (pods.TryGetValue(key, out var placement) && placement.Assumed)
            RemovePod(key);
    }

    private void Place(Placement placement)
    {
        pods[placement.Key] = placement;
        GetOrAdd(placement.Node).AddPod(placement.Requests, placement.Owner);
    }

    private void Unplace(Placement placement)
    {
        if (!nodes.TryGetValue(placement.Node, out var state))
            return;
        state.RemovePod(placement.Requests, placement.Owner);
        if (state.IsEmpty && !positions.ContainsKey(state.Name))
            nodes.Remove(state.Name);
    }

    private NodeState GetOrAdd(string name)
    {
        if (!nodes.TryGetValue(name, out var state))
        {
            state = new NodeState(name);
            nodes[name] = state;
        }
        return state;
    }

    private sealed record Placement(string Key, string Node, ResourceAmounts Requests, string? Owner, bool Assumed);
}
