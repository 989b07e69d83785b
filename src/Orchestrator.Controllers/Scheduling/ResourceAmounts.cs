using System.Text.Json.Nodes;
using Orchestrator.Api.Validation;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>The resources the scheduler accounts for, as integers (milli-CPU, bytes, pod slots) so fitting is cheap.</summary>
public readonly record struct ResourceAmounts(long MilliCpu, long Memory, long Pods)
{
    public static ResourceAmounts operator +(ResourceAmounts a, ResourceAmounts b) =>
        new(a.MilliCpu + b.MilliCpu, a.Memory + b.Memory, a.Pods + b.Pods);

    public static ResourceAmounts operator -(ResourceAmounts a, ResourceAmounts b) =>
        new(a.MilliCpu - b.MilliCpu, a.Memory - b.Memory, a.Pods - b.Pods);

    private const long DefaultMilliCpu = 100;
    private const long DefaultMemory = 200L * 1024 * 1024;

    /// <summary>As kube-scheduler scores: a pod without a cpu or memory request counts as 100m / 200Mi.</summary>
    public ResourceAmounts NonZero() =>
        new(MilliCpu == 0 ? DefaultMilliCpu : MilliCpu, Memory == 0 ? DefaultMemory : Memory, Pods);

    /// <summary>A node's status.allocatable (capacity when allocatable is absent).</summary>
    public static ResourceAmounts Allocatable(JsonObject node)
    {
        var list = node.Obj("status", "allocatable") ?? node.Obj("status", "capacity");
        return new(Milli(list?["cpu"]), Whole(list?["memory"]), Whole(list?["pods"]));
    }

    /// <summary>
    /// What a pod asks for, as kube-scheduler computes it: the sum over containers, but at least the
    /// largest init container (they run one at a time before the others); one pod slot.
    /// </summary>
    public static ResourceAmounts Requests(JsonObject pod)
    {
        long cpu = 0, memory = 0;
        foreach (var container in pod.Items("spec", "containers"))
        {
            var requests = container.Obj("resources", "requests");
            cpu += Milli(requests?["cpu"]);
            memory += Whole(requests?["memory"]);
        }
        foreach (var container in pod.Items("spec", "initContainers"))
        {
            var requests = container.Obj("resources", "requests");
            cpu = Math.Max(cpu, Milli(requests?["cpu"]));
            memory = Math.Max(memory, Whole(requests?["memory"]));
        }
        return new(cpu, memory, 1);
    }

    private static long Milli(JsonNode? value) => Quantity.Read(value)?.Int64MilliValue ?? 0;

    private static long Whole(JsonNode? value) => Quantity.Read(value)?.Int64Value ?? 0;
}
