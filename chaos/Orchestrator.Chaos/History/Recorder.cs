using System.Diagnostics;

namespace Orchestrator.Chaos.History;

/// <summary>
/// Collects operations and faults from concurrent clients and the nemesis against one monotonic clock, so call and
/// return times of different clients compare (real-time order is what linearizability is checked against).
/// </summary>
public sealed class Recorder
{
    private readonly long origin = Stopwatch.GetTimestamp();
    private readonly List<Operation> operations = [];
    private readonly List<FaultWindow> faults = [];
    private readonly List<WatchSession> watches = [];
    private int nextId;

    /// <summary>Nanoseconds since the recorder was made.</summary>
    public long Now => (long)Stopwatch.GetElapsedTime(origin).TotalNanoseconds;

    public int NextId() => Interlocked.Increment(ref nextId);

    public void Add(Operation operation)
    {
        lock (operations)
            operations.Add(operation);
    }

    public void AddFault(FaultWindow fault)
    {
        lock (faults)
            faults.Add(fault);
    }

    public void AddWatch(WatchSession session)
    {
        lock (watches)
            watches.Add(session);
    }

    public IReadOnlyList<WatchSession> Watches
    {
        get { lock (watches) return [.. watches.OrderBy(w => w.Start)]; }
    }

    public IReadOnlyList<Operation> Operations
    {
        get { lock (operations) return [.. operations.OrderBy(o => o.Invoke)]; }
    }

    public IReadOnlyList<FaultWindow> Faults
    {
        get { lock (faults) return [.. faults.OrderBy(f => f.Start)]; }
    }
}
