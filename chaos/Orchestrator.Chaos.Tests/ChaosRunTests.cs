using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.Runs;

namespace Orchestrator.Chaos.Tests;

/// <summary>
/// The short chaos profile CI runs on every change (real replicas, every process fault), and the control that shows
/// it can fail: the same suite against replicas broken on purpose (reads without a read barrier) must say INVALID.
/// </summary>
public sealed class ChaosRunTests : IDisposable
{
    private readonly string output = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"chaos-{Guid.NewGuid():N}");

    [Fact]
    public async Task ShortProfileUnderEveryProcessFaultIsLinearizable()
    {
        var result = await ChaosRun.RunAsync(new RunOptions
        {
            Duration = TimeSpan.FromSeconds(40),
            Nemeses = ["kill-leader", "pause", "crash-all", "pause-leader", "kill"],
            Healthy = TimeSpan.FromSeconds(2),
            FaultLength = TimeSpan.FromSeconds(3),
            Seed = 13,
            OutputDirectory = output,
        }, TextWriter.Null, CancellationToken.None);

        Assert.True(result.Linearizability.Verdict == Verdict.Ok, result.VerdictLine() + "\n" +
            string.Join("\n", result.Linearizability.Keys.Select(k => $"{k.Key}: {k.Verdict} {k.Explanation}")));
        Assert.True(result.History.Faults.Count >= 4, result.VerdictLine());
        Assert.True(result.History.Operations.Count(o => o.Kind == "cas" && o.Outcome == History.Outcome.Ok) > 100, result.VerdictLine());
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
