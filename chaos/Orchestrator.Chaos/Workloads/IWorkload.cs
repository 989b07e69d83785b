using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// Clients of one kind doing one kind of operation through the public API while the nemesis works, then final reads
/// once it is done, and the checks their part of the history must pass.
/// </summary>
public interface IWorkload
{
    string Name { get; }

    /// <summary>Objects the workload starts from, made before the faults begin; keys absent from it start absent.</summary>
    Task SetUpAsync(ApiClients api, IDictionary<string, string?> initial, CancellationToken token);

    /// <summary>Runs the clients until <paramref name="token"/> is cancelled.</summary>
    Task RunAsync(ApiClients api, CancellationToken token);

    /// <summary>After every fault is healed: reads on every replica, so a write lost anywhere shows.</summary>
    Task FinalReadsAsync(ApiClients api, CancellationToken token);

    /// <summary>Checks beyond linearizability (which the run checks for every workload's keys).</summary>
    IEnumerable<CheckResult> Check(RunHistory history);
}
