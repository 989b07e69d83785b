using System.Diagnostics;

namespace Orchestrator.Deploy.Tests;

/// <summary>`vagrant validate` on the top-level Vagrantfile, for 3 and for 5 control planes (VMs cannot boot here).</summary>
public sealed class VagrantfileTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("orchestrator-vagrant-");

    public VagrantfileTests() =>
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Vagrantfile"), Path.Combine(folder.FullName, "Vagrantfile"));

    public void Dispose() => folder.Delete(recursive: true);

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public async Task ValidatesForEachClusterSize(int controlPlanes, int nodes)
    {
        var (exitCode, output) = await ValidateAsync(controlPlanes, nodes);
        Assert.True(exitCode == 0, $"vagrant validate: exit {exitCode}\n{output}");
        Assert.Contains("validated successfully", output, StringComparison.Ordinal);
        // Every joining machine got a token of its own, chosen once.
        var tokens = File.ReadAllLines(Path.Combine(folder.FullName, ".vagrant", "orchestrator-tokens"));
        Assert.Equal(controlPlanes - 1 + nodes, tokens.Select(t => t.Split('=')[1]).Distinct().Count());
    }

    [Fact]
    public async Task RefusesAClusterSizeWithoutAMajority()
    {
        var (exitCode, output) = await ValidateAsync(4, 1);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("CONTROL_PLANES must be 1, 3 or 5", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> ValidateAsync(int controlPlanes, int nodes)
    {
        Assert.True(File.Exists("/usr/bin/vagrant"), "vagrant is missing: apt-get install vagrant");
        var info = new ProcessStartInfo("/usr/bin/vagrant", ["validate"])
        {
            WorkingDirectory = folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["CONTROL_PLANES"] = controlPlanes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["NODES"] = nodes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["VAGRANT_HOME"] = Path.Combine(folder.FullName, "home");
        info.Environment["VAGRANT_DOTFILE_PATH"] = Path.Combine(folder.FullName, ".vagrant");
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
