namespace Orchestrator.Deploy.Tests;

/// <summary>The shipped alert rules are valid and behave as their unit tests say (promtool check / test rules).</summary>
public sealed class AlertRulesTests
{
    [Fact]
    public async Task RulesPassPromtoolCheck()
    {
        var (code, output) = await Promtool.RunAsync(Promtool.ShippedDirectory, "check", "rules", "consensus-rules.yml");
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 8 rules found", output);
    }

    [Fact]
    public async Task RulesPassTheirUnitTests()
    {
        var (code, output) = await Promtool.RunAsync(Promtool.ShippedDirectory, "test", "rules", "consensus-rules.test.yml");
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public async Task PromtoolRejectsABrokenRule()
    {
        // The check above means something only if promtool fails a bad expression.
        var directory = Directory.CreateTempSubdirectory("orchestrator-rules-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "bad.yml"),
                "groups:\n  - name: g\n    rules:\n      - alert: Bad\n        expr: max(orchestrator_raft_has_leader ==\n");
            var (code, _) = await Promtool.RunAsync(directory.FullName, "check", "rules", "bad.yml");
            Assert.NotEqual(0, code);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
