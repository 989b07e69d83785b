namespace Orchestrator.Chaos.Runs;

/// <summary>One chaos run's settings; the CLI's options and the tests' profiles.</summary>
public sealed record RunOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>When set, the run ends after this many faults instead of after <see cref="Duration"/>.</summary>
    public int? Cycles { get; init; }

    /// <summary>Fault kinds, taken in turn (see <see cref="Nemesis.ProcessNemesis.Kinds"/>).</summary>
    public IReadOnlyList<string> Nemeses { get; init; } = ["kill", "pause"];

    /// <summary>Workloads run together: register, list-append, create-unique, watch.</summary>
    public IReadOnlyList<string> Workloads { get; init; } = ChaosRun.AllWorkloads;

    public int Replicas { get; init; } = 3;

    /// <summary>Clients of each workload (create-unique gets half as many; watchers are two per replica).</summary>
    public int Clients { get; init; } = 6;

    public int Keys { get; init; } = 3;

    /// <summary>How long the cluster runs without a fault between faults, and how long each fault lasts.</summary>
    public TimeSpan Healthy { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan FaultLength { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Extra `orchestrator server` options for every replica (e.g. the broken --unsafe-local-reads).</summary>
    public IReadOnlyList<string> ServerArgs { get; init; } = [];

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Where history.json and report.html go.</summary>
    public required string OutputDirectory { get; init; }

    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
