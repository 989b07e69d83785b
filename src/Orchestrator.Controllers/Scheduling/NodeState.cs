using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// One node as the scheduler sees it: what it offers (from the Node object) and what the pods bound or
/// assumed to it take, kept up to date incrementally so fitting a pod costs no scan of the pods.
/// </summary>
public sealed class NodeState(string name)
{
    private readonly Dictionary<string, int> owners = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public ResourceAmounts Allocatable { get; private set; }

    public ResourceAmounts Requested { get; private set; }

    /// <summary>Requests with kube's defaults for pods that ask for nothing (100m, 200Mi), used only for scoring.</summary>
    public ResourceAmounts NonZeroRequested { get; private set; }

    public IReadOnlyDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<Taint> Taints { get; private set; } = [];

    public bool Unschedulable { get; private set; }

    public bool Ready { get; private set; }

    /// <summary>False until the Node object was seen (pods may name a node the cache does not know yet).</summary>
    public bool Known { get; private set; }

    public int OwnerCount(string owner) => owners.GetValueOrDefault(owner);

    public void SetNode(JsonObject node)
    {
        Known = true;
        Allocatable = ResourceAmounts.Allocatable(node);
        Labels = PodRequirements.Labels(node.Obj("metadata", "labels"));
        Taints = Taint.Of(node);
        Unschedulable = node.Bool("spec", "unschedulable") == true;
        Ready = node.Items("status", "conditions").Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");
    }

    public void AddPod(ResourceAmounts requests, string? owner)
    {
        Requested += requests;
        NonZeroRequested += requests.NonZero();
        if (owner is not null)
            owners[owner] = owners.GetValueOrDefault(owner) + 1;
    }

    public void RemovePod(ResourceAmounts requests, string? owner)
    {
        Requested -= requests;
        NonZeroRequested -= requests.NonZero();
        if (owner is not null && owners.TryGetValue(owner, out var count))
        {
            if (count <= 1)
                owners.Remove(owner);
            else
                owners[owner] = count - 1;
        }
    }

    public bool IsEmpty => Requested.Pods == 0;
}
