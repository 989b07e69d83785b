using System.Diagnostics;
using System.Text;
using System.Net;
using Grpc.Net.Client;
using Orchestrator.Server.Security;
using Orchestrator.Storage.Replication;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Testing;

/// <summary>One `orchestrator server` process on 127.0.0.1 (or in a network namespace) with its own data directory.</summary>
public sealed class ReplicaProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private Process? process;
    private GrpcChannel? channel;

    /// <param name="host">The address every port listens on: 127.0.0.1, or the replica's own in a network namespace.</param>
    /// <param name="launcher">What the server command is run through, e.g. `ip netns exec NAME` (exec'd, so the pid stays the server's).</param>
    public ReplicaProcess(int ordinal, string dataDirectory, int raftPort, int grpcPort, int apiPort, string pkiDirectory,
        string host = "127.0.0.1", IReadOnlyList<string>? launcher = null)
    {
        Ordinal = ordinal;
        DataDirectory = dataDirectory;
        RaftEndpoint = $"{host}:{raftPort}";
        GrpcEndpoint = $"{host}:{grpcPort}";
        ApiEndpoint = $"{host}:{apiPort}";
        PkiDirectory = pkiDirectory;
        Host = host;
        this.launcher = launcher ?? [];
    }

    private readonly IReadOnlyList<string> launcher;

    /// <summary>The address this replica's ports listen on.</summary>
    public string Host { get; }

    /// <summary>The HTTPS Kubernetes API of this replica.</summary>
    public string ApiEndpoint { get; }

    public Uri ApiUri => new($"https://{ApiEndpoint}");

    /// <summary>The cluster CA directory, shared by all replicas of one cluster.</summary>
    public string PkiDirectory { get; }

    public int Ordinal { get; }

    public string DataDirectory { get; }

    public string RaftEndpoint { get; }

    public string GrpcEndpoint { get; }

    public bool IsRunning => process is { HasExited: false };

    /// <summary>The running server's process id (for /proc readings such as RSS), or null when it is not running.</summary>
    public int? ProcessId => process is { HasExited: false } running ? running.Id : null;

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>The internal store API, reached as a replica would: mutual TLS with a peer certificate of the cluster CA.</summary>
    public Store.StoreClient Client => new(channel ??= GrpcChannel.ForAddress($"https://{GrpcEndpoint}", new GrpcChannelOptions { HttpHandler = PeerHandler() }));

    /// <summary>An HTTP client for the internal port (its /metrics), holding a replica certificate.</summary>
    public HttpClient CreatePeerHttpClient() => new(PeerHandler()) { BaseAddress = new Uri($"https://{GrpcEndpoint}") };

    private SocketsHttpHandler PeerHandler()
    {
        using var pki = ClusterPki.LoadOrCreate(PkiDirectory);
        var tls = new PeerTls(pki.IssuePeerCertificate("test-harness", [IPAddress.Loopback]), _ => true);
        return new SocketsHttpHandler { SslOptions = tls.ClientOptions() };
    }

    /// <param name="extraArgs">More `orchestrator server` options, e.g. shorter leader-election timings for tests.</param>
    public void Start(IEnumerable<string> peers, bool join = false, long snapshotEvery = 50_000, int watchWindow = 100_000, IEnumerable<string>? extraArgs = null)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "orchestrator.dll");
        var info = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in launcher.Skip(1).Concat(launcher.Count > 0 ? ["dotnet"] : []))
            info.ArgumentList.Add(arg);
        foreach (var arg in new[] { server, "server", "--data", DataDirectory, "--raft", RaftEndpoint, "--grpc", GrpcEndpoint,
                     "--api", ApiEndpoint, "--pki", PkiDirectory,
                     "--snapshot-every", snapshotEvery.ToString(), "--watch-window", watchWindow.ToString(), "--log-level", Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_LOG_LEVEL") ?? "Warning" })
            info.ArgumentList.Add(arg);
        foreach (var arg in extraArgs ?? [])
            info.ArgumentList.Add(arg);
        if (join)
            info.ArgumentList.Add("--join");
        else
        {
            info.ArgumentList.Add("--peers");
            info.ArgumentList.Add(string.Join(',', peers));
        }
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    /// <summary>SIGKILL: no shutdown code runs, like a crash (the page cache survives, as after kill -9).</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGSTOP: the process keeps its sockets but answers nothing, as in a long GC pause or a stalled VM.</summary>
    public void Pause() => Signals.Stop(ProcessId ?? throw new InvalidOperationException($"replica {Ordinal} is not running"));

    public void Resume() => Signals.Continue(ProcessId ?? throw new InvalidOperationException($"replica {Ordinal} is not running"));

    public async ValueTask DisposeAsync()
    {
        Kill();
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_LOG_DIR") is { Length: > 0 } logs)
        {
            Directory.CreateDirectory(logs);
            await File.WriteAllTextAsync(Path.Combine(logs, $"replica-{Ordinal}-{RaftEndpoint.Replace(':', '_')}.log"), Output);
        }
        process?.Dispose();
        process = null;
        if (channel is not null)
        {
            await channel.ShutdownAsync();
            channel.Dispose();
            channel = null;
        }
    }
}
