using System.Diagnostics;
using System.Text;
using Etcdserverpb;
using Grpc.Net.Client;

namespace Orchestrator.Api.Benchmarks;

/// <summary>One etcd process on 127.0.0.1 with its own data directory; plain HTTP (no TLS) on its client and peer ports.</summary>
internal sealed class EtcdMember(string binary, string name, int clientPort, int peerPort, string dataDirectory) : IDisposable
{
    private readonly StringBuilder output = new();
    private Process? process;
    private GrpcChannel? channel;

    public string Name { get; } = name;

    public string ClientUrl { get; } = $"http://127.0.0.1:{clientPort}";

    public string PeerUrl { get; } = $"http://127.0.0.1:{peerPort}";

    public string DataDirectory { get; } = dataDirectory;

    public int? ProcessId => process is { HasExited: false } running ? running.Id : null;

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>A channel of this harness's own, for status calls (load generators open their own).</summary>
    public Maintenance.MaintenanceClient Maintenance => new(channel ??= GrpcChannel.ForAddress(ClientUrl));

    /// <summary>Starts (or, after <see cref="Kill"/>, restarts from its data directory) with the given cluster membership.</summary>
    public void Start(string initialCluster, string clusterToken)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--name", Name, "--data-dir", DataDirectory,
                     "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
                     "--listen-peer-urls", PeerUrl, "--initial-advertise-peer-urls", PeerUrl,
                     "--initial-cluster", initialCluster, "--initial-cluster-token", clusterToken, "--initial-cluster-state", "new",
                     "--logger", "zap", "--log-level", "warn",
                 })
            info.ArgumentList.Add(arg);
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL, like a crash.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process?.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Kill();
        channel?.Dispose();
        channel = null;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}
