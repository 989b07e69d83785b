using System.Diagnostics;
using System.Text;

namespace Orchestrator.Testing;

/// <summary>The result of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real /usr/bin/kubectl against a test cluster with its own HOME and cache directory, so the
/// user's ~/.kube is never read or written; every run has a timeout.
/// </summary>
public sealed class Kubectl(string kubeconfig, string home)
{
    public const string Binary = "/usr/bin/kubectl";

    public static Kubectl For(ApiCluster cluster)
    {
        var home = Path.Combine(cluster.Root, "home");
        Directory.CreateDirectory(home);
        return new Kubectl(cluster.KubeconfigPath, home);
    }

    public async Task<KubectlResult> RunAsync(string context, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(context, args, stdin is not null))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new KubectlResult(-1, await output, await error + $"\n(kubectl timed out after {timeout ?? TimeSpan.FromSeconds(60)})");
        }
        return new KubectlResult(process.ExitCode, await output, await error);
    }

    public Task<KubectlResult> RunAsync(string context, params string[] args) => RunAsync(context, (IEnumerable<string>)args);

    /// <summary>Starts a long-running kubectl (get -w) whose output lines are collected until it is disposed.</summary>
    public KubectlStream Start(string context, params string[] args) => new(Process.Start(StartInfo(context, args, false))!);

    private ProcessStartInfo StartInfo(string context, IEnumerable<string> args, bool stdin)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            UseShellExecute = false,
        };
        info.Environment["HOME"] = home;
        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment.Remove("KUBERNETES_SERVICE_HOST");
        info.ArgumentList.Add("--context");
        info.ArgumentList.Add(context);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(home, "cache"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return info;
    }
}

/// <summary>A running kubectl whose stdout lines are collected as they come.</summary>
public sealed class KubectlStream : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder error = new();
    private readonly List<string> lines = [];

    internal KubectlStream(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (lines) lines.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (error) error.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (lines) return [.. lines]; }
    }

    public string Error
    {
        get { lock (error) return error.ToString(); }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }
}
