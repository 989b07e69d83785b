namespace Orchestrator.Controllers.Scheduling;

/// <summary>
/// The filters of kube-scheduler's default profile that apply here, in its order. Each returns null when
/// the node fits, else the reason kube-scheduler would count in "0/N nodes are available: ...".
/// </summary>
public static class NodeFilters
{
    public const string WasUnschedulable = "node(s) were unschedulable";
    public const string AffinityMismatch = "node(s) didn't match Pod's node affinity/selector";
    public const string TooManyPods = "Too many pods";
    public const string InsufficientCpu = "Insufficient cpu";
    public const string InsufficientMemory = "Insufficient memory";

    private static readonly Taint UnschedulableTaint = new(Taint.Unschedulable, null, Taint.NoSchedule);
    private static readonly Taint NotReadyTaint = new(Taint.NotReady, null, Taint.NoSchedule);

    /// <summary>Adds the reasons the node does not fit to <paramref name="reasons"/>; true when it fits.</summary>
    public static bool Fits(PodRequirements pod, NodeState node, List<string> reasons)
    {
        if (node.Unschedulable && !Toleration.AnyTolerates(pod.Tolerations, UnschedulableTaint))
        {
            reasons.Add(WasUnschedulable);
            return false;
        }
        if (UntoleratedTaint(pod, node) is { } taint)
        {
            reasons.Add($"node(s) had untolerated taint {taint}");
            return false;
        }
        if (!MatchesAffinity(pod, node))
        {
            reasons.Add(AffinityMismatch);
            return false;
        }
        return FitsResources(pod.Requests, node, reasons);
    }

    public static Taint? UntoleratedTaint(PodRequirements pod, NodeState node)
    {
        foreach (var taint in node.Taints)
        {
            if (taint.Effect is Taint.NoSchedule or Taint.NoExecute && !Toleration.AnyTolerates(pod.Tolerations, taint))
                return taint;
        }
        // A node without Ready=True counts as carrying the not-ready taint the lifecycle controller would add.
        if (!node.Ready && !Toleration.AnyTolerates(pod.Tolerations, NotReadyTaint))
            return NotReadyTaint;
        return null;
    }

    public static bool MatchesAffinity(PodRequirements pod, NodeState node)
    {
        foreach (var (key, value) in pod.NodeSelector)
        {
            if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
                return false;
        }
        return pod.Affinity is null || pod.Affinity.Matches(node.Labels, node.Name);
    }

    public static bool FitsResources(ResourceAmounts requests, NodeState node, List<string> reasons)
    {
        var free = node.Allocatable - node.Requested;
        var fits = true;
        if (requests.Pods > free.Pods)
        {
            reasons.Add(TooManyPods);
            fits = false;
        }
        if (requests.MilliCpu > 0 && requests.MilliCpu > free.MilliCpu)
        {
            reasons.Add(InsufficientCpu);
            fits = false;
        }
        if (requests.Memory > 0 && requests.Memory > free.Memory)
        {
            reasons.Add(InsufficientMemory);
            fits = false;
        }
        return fits;
    }
}
