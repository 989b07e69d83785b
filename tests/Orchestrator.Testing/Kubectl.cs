using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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

    public Task<KubectlResult> RunAsync(string context, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = StartInfo(context, args, stdin is not null);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return RunToEndAsync(info, stdin, timeout, "kubectl");
    }

    public Task<KubectlResult> RunAsync(string context, params string[] args) => RunAsync(context, (IEnumerable<string>)args);

    /// <summary>
    /// Runs kubectl on a terminal of <paramref name="columns"/> x <paramref name="rows"/> made by util-linux
    /// `script`, as a user at a shell would (`exec -it`); the terminal's output, stderr included, with CRLF line
    /// ends, is the result's Output. Nothing is typed: stdin stays open, empty, until kubectl exits. With
    /// <paramref name="resize"/>, the window is resized that long after the start (kubectl gets SIGWINCH; an asynchronous command of sh reads /dev/null, hence /dev/tty).
    /// </summary>
    public async Task<KubectlResult> RunInTerminalAsync(string context, IEnumerable<string> args, int columns, int rows,
        (TimeSpan After, int Columns, int Rows)? resize = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var kubectl = StartInfo(context, args, false);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            kubectl.Environment[name] = value;
        var resizing = resize is { } r
            ? FormattableString.Invariant($"(sleep {r.After.TotalSeconds:0.###}; stty cols {r.Columns} rows {r.Rows} < /dev/tty) & ")
            : "";
        var command = $"stty cols {columns} rows {rows} && {{ {resizing}exec {string.Join(' ', new[] { Binary }.Concat(kubectl.ArgumentList).Select(Quote))}; }}";
        var info = new ProcessStartInfo("/usr/bin/script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in kubectl.Environment)
            info.Environment[name] = value;
        // -q no banner, -e kubectl's exit code, -c the command; the typescript itself is not wanted.
        foreach (var arg in new[] { "-qec", command, "/dev/null" })
            info.ArgumentList.Add(arg);
        // Nothing is typed: stdin stays open (and empty) until kubectl exits.
        return await RunToEndAsync(info, stdin: null, timeout, "kubectl on a terminal");

        static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// Runs the process to its end within <paramref name="timeout"/> (60 s unless given; then it is killed and the result
    /// says so). <paramref name="stdin"/>, when given, is written and closed; a redirected stdin without it is closed at the end.
    /// </summary>
    private static async Task<KubectlResult> RunToEndAsync(ProcessStartInfo info, string? stdin, TimeSpan? timeout, string what)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new KubectlResult(-1, await output, await error + $"\n({what} timed out after {limit})");
        }
        finally
        {
            if (info.RedirectStandardInput)
                process.StandardInput.Close();
        }
        return new KubectlResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts a long-running kubectl (get -w) whose output lines are collected until it is disposed.</summary>
    public KubectlStream Start(string context, params string[] args) => new(Process.Start(StartInfo(context, args, false))!);

    /// <summary>As <see cref="Start(string, string[])"/>, with extra environment variables (KUBECTL_* feature switches).</summary>
    public KubectlStream Start(string context, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = StartInfo(context, args, false);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        return new KubectlStream(Process.Start(info)!);
    }

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
public sealed partial class KubectlStream : IDisposable
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

    /// <summary>
    /// `kubectl port-forward`'s "Forwarding from 127.0.0.1:LOCAL -> REMOTE" lines, once <paramref name="count"/> remote
    /// ports have one (within 30 s): remote port to local port.
    /// </summary>
    public async Task<Dictionary<int, int>> ForwardedPortsAsync(int count)
    {
        var ports = new Dictionary<int, int>();
        await Eventually.HoldsAsync(() =>
        {
            foreach (var line in Lines)
            {
                if (ForwardingLine().Match(line) is { Success: true } match)
                    ports[int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)] = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            return Task.FromResult(ports.Count >= count);
        }, TimeSpan.FromSeconds(30), () => string.Join('\n', Lines) + Error);
        return ports;
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

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)")]
    private static partial Regex ForwardingLine();
}
