namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// Filters and scores nodes for one pod. Like kube-scheduler it stops filtering once it has found
/// "enough" feasible nodes (adaptive percentageOfNodesToScore: 50% minus 1% per 125 nodes, at least 5%
/// and 100 nodes) and starts each search where the last one stopped, so a pod costs ~O(sampled nodes),
/// not O(all nodes): at 5,000 nodes that is 500 nodes per pod instead of 5,000.
/// </summary>
public sealed class NodePicker(Random random)
{
    private const int MinFeasibleNodesToFind = 100;
    private const int MinFeasibleNodesPercentage = 5;

    private readonly List<NodeState> feasible = [];
    private readonly List<string> reasons = [];
    private readonly Dictionary<string, int> reasonCounts = new(StringComparer.Ordinal);
    private int nextStart;

    /// <summary>Call under the cache's gate.</summary>
    public PlacementDecision Pick(PodRequirements pod, SchedulerCache cache)
    {
        var nodes = cache.Nodes;
        var total = nodes.Count;
        if (total == 0)
            return new PlacementDecision(null, PlacementDecision.Summarize(0, reasonCounts));
        feasible.Clear();
        reasonCounts.Clear();
        var wanted = FeasibleNodesToFind(total);
        var start = nextStart % total;
        var examined = 0;
        for (; examined < total && feasible.Count < wanted; examined++)
        {
            var node = nodes[(start + examined) % total];
            reasons.Clear();
            if (NodeFilters.Fits(pod, node, reasons))
            {
                feasible.Add(node);
                continue;
            }
            foreach (var reason in reasons)
                reasonCounts[reason] = reasonCounts.GetValueOrDefault(reason) + 1;
        }
        nextStart = (start + examined) % total;
        if (feasible.Count == 0)
            return new PlacementDecision(null, PlacementDecision.Summarize(total, reasonCounts));
        return new PlacementDecision(Best(pod), null);
    }

    public static int FeasibleNodesToFind(int total)
    {
        if (total < MinFeasibleNodesToFind)
            return total;
        var percentage = Math.Max(MinFeasibleNodesPercentage, 50 - total / 125);
        return Math.Max(MinFeasibleNodesToFind, total * percentage / 100);
    }

    private NodeState Best(PodRequirements pod)
    {
        var maxOwned = 0;
        if (pod.Owner is not null)
        {
            foreach (var node in feasible)
                maxOwned = Math.Max(maxOwned, node.OwnerCount(pod.Owner));
        }
        NodeState? best = null;
        var bestScore = double.MinValue;
        var ties = 0;
        foreach (var node in feasible)
        {
            var score = LeastAllocated(pod.Requests, node) + Spread(pod.Owner, node, maxOwned);
            if (score > bestScore)
            {
                best = node;
                bestScore = score;
                ties = 1;
            }
            else if (score == bestScore && random.Next(++ties) == 0)
            {
                // Reservoir sampling: every equally good node is equally likely (spreads identical pods).
                best = node;
            }
        }
        return best!;
    }

    /// <summary>NodeResourcesFit LeastAllocated: the mean free share of cpu and memory after placing the pod, 0..100.</summary>
    public static double LeastAllocated(ResourceAmounts requests, NodeState node)
    {
        static double Free(long allocatable, long used) =>
            allocatable <= 0 ? 0 : Math.Max(0, allocatable - used) * 100.0 / allocatable;
        var after = node.NonZeroRequested + requests.NonZero();
        return (Free(node.Allocatable.MilliCpu, after.MilliCpu) + Free(node.Allocatable.Memory, after.Memory)) / 2;
    }

    /// <summary>SelectorSpread: nodes with fewer pods of the same owner score higher, 0..100.</summary>
    public static double Spread(string? owner, NodeState node, int maxOwned)
    {
        if (owner is null || maxOwned == 0)
            return 100;
        return (maxOwned - node.OwnerCount(owner)) * 100.0 / maxOwned;
    }
}
