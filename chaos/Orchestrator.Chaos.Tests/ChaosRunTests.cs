using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.Runs;

namespace Orchestrator.Chaos.Tests;

/// <summary>
/// The short chaos profile CI runs on every change (real replicas in network namespaces, their links through the fault
/// proxy, process, network, link and membership faults, every workload), and the control that shows
/// it can fail: the same suite against replicas broken on purpose (reads without a read barrier) must say INVALID.
/// </summary>
public sealed class ChaosRunTests : IDisposable
{
    private readonly string output = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"chaos-{Guid.NewGuid():N}");

    [Fact]
    public async Task ShortProfileUnderEveryKindOfFaultKeepsEveryGuarantee()
    {
        var result = await ChaosRun.RunAsync(new RunOptions
        {
            // A fault count, not a duration: on a loaded machine a wipe can take 12 s, and the profile must still cover as many kinds.
            Cycles = 8,
            Nemeses = ["kill-leader", "blackhole-leader", "partition", "wipe", "pause-leader", "delay", "crash-all", "membership", "loss", "reset", "partition-bridge"],
            Healthy = TimeSpan.FromSeconds(2),
            FaultLength = TimeSpan.FromSeconds(3),
            Seed = 13,
            OutputDirectory = output,
        }, TextWriter.Null, CancellationToken.None);

        var details = result.VerdictLine() + "\n" + string.Join("\n", result.Linearizability.Violations.Select(k => $"{k.Key}: {k.Explanation}"))
            + "\n" + string.Join("\n", result.Checks.Select(c => $"{c.Name}: {c.Verdict} {c.Summary}\n  {string.Join("\n  ", c.Problems.Take(10))}"));
        Assert.True(result.Verdict == Verdict.Ok, details);
        Assert.True(result.History.Faults.Count >= 6, details);
        Assert.Equal(0, result.LostWrites);
        Assert.Equal(["create-unique", "list-append", "watch"], result.Checks.Select(c => c.Name).Order());
        Assert.StartsWith("6/6", result.Checks.Single(c => c.Name == "watch").Summary);
        var ok = result.History.Operations.Where(o => o.Outcome == History.Outcome.Ok).ToList();
        Assert.True(ok.Count(o => o.Kind == "cas" && o.Workload == "register") > 100, details);
        Assert.True(ok.Count(o => o.Kind == "cas" && o.Workload == "list-append") > 100, details);
        Assert.True(ok.Count(o => o.Kind == "create") > 10, details);
        Assert.True(result.History.Watches.Count(w => w.Resumed && w.Events.Count > 0) > 20, details);
        Assert.Contains("VALID", await File.ReadAllTextAsync(Path.Combine(output, "report.html")));
        Assert.True(new FileInfo(Path.Combine(output, "history.json")).Length > 0);
    }

    [Fact]
    public async Task ReplicasThatSkipTheReadBarrierAreCaught()
    {
        var result = await ChaosRun.RunAsync(new RunOptions
        {
            Duration = TimeSpan.FromSeconds(15),
            Nemeses = ["pause"],
            Healthy = TimeSpan.FromSeconds(2),
            FaultLength = TimeSpan.FromSeconds(3),
            Seed = 5,
            ServerArgs = ["--unsafe-local-reads"],
            OutputDirectory = output,
        }, TextWriter.Null, CancellationToken.None);

        Assert.True(result.Linearizability.Verdict == Verdict.Illegal, result.VerdictLine());
        Assert.Equal(Verdict.Illegal, result.Verdict);
        var violation = result.Linearizability.Violations.First();
        Assert.Contains("fits no order", violation.Explanation);
        Assert.NotEmpty(violation.Culprits!);
        Assert.Contains("INVALID", await File.ReadAllTextAsync(Path.Combine(output, "report.html")));
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_LOG_DIR") is { Length: > 0 } logs && Directory.Exists(output))
        {
            // Keep the histories and reports beside the other test logs.
            var kept = Path.Combine(logs, "chaos", Path.GetFileName(output));
            Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
            Directory.Move(output, kept);
        }
        else if (Directory.Exists(output))
            Directory.Delete(output, recursive: true);
    }
}
