using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// `orchestrator up`: starts every replica of a local cluster as its own process on 127.0.0.1 (each in its
/// own session, output in DIR/replica-N/server.log, pid in DIR/replica-N.pid), writes DIR/kubeconfig and
/// waits until every replica is ready. `orchestrator down` stops what the pid files name.
/// </summary>
public sealed class LocalCluster(string dataDirectory, LocalClusterLayout layout)
{
    private const int SIGTERM = 15;

    public string KubeconfigPath => Path.Combine(dataDirectory, "kubeconfig");

    public string PkiDirectory => Path.Combine(dataDirectory, "pki");

    public async Task StartAsync(CancellationToken token)
    {
        if (Running().Count > 0)
            throw new InvalidOperationException($"a cluster is already running from {dataDirectory}; run `orchestrator down --data {dataDirectory}` first");
        using var pki = ClusterPki.LoadOrCreate(PkiDirectory);
        KubeconfigFile.Write(KubeconfigPath, [.. layout.Replicas.Select(r => r.ApiUri)], pki, "admin", ["system:masters"]);

        var peers = string.Join(',', layout.Replicas.Select(r => r.Raft));
        var self = Environment.ProcessPath!;
        var host = Path.GetFileNameWithoutExtension(self) == "dotnet" ? $"{Quote(self)} {Quote(typeof(LocalCluster).Assembly.Location)}" : Quote(self);
        foreach (var replica in layout.Replicas)
        {
            var directory = Path.Combine(dataDirectory, replica.Name);
            Directory.CreateDirectory(directory);
            var command = $"exec {host} server --data {Quote(directory)} --raft {replica.Raft} --grpc {replica.Grpc} --api {replica.Api} "
                + $"--pki {Quote(PkiDirectory)} --peers {peers} >>{Quote(Path.Combine(directory, "server.log"))} 2>&1";
            // setsid: the replicas outlive a detached `up` and do not get the terminal's Ctrl-C.
            var info = new ProcessStartInfo("setsid") { UseShellExecute = false, ArgumentList = { "sh", "-c", command } };
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {replica.Name}");
            await File.WriteAllTextAsync(PidFile(replica), process.Id.ToString(CultureInfo.InvariantCulture), token);
        }
        try
        {
            await WaitUntilReadyAsync(token);
        }
        catch
        {
            await StopAsync(TimeSpan.FromSeconds(5));
            throw;
        }
    }

    /// <summary>
    /// `up --simulated-nodes N`: one `orchestrator node --simulated` process (its own session, output in
    /// DIR/simulated-nodes.log, pid in DIR/simulated-nodes.pid) so it lives and dies with the replicas.
    /// </summary>
    public async Task StartSimulatedNodesAsync(int count, CancellationToken token)
    {
        var self = Environment.ProcessPath!;
        var host = Path.GetFileNameWithoutExtension(self) == "dotnet" ? $"{Quote(self)} {Quote(typeof(LocalCluster).Assembly.Location)}" : Quote(self);
        var command = $"exec {host} node --simulated --count {count.ToString(CultureInfo.InvariantCulture)} --kubeconfig {Quote(KubeconfigPath)} "
            + $">>{Quote(Path.Combine(dataDirectory, "simulated-nodes.log"))} 2>&1";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, ArgumentList = { "sh", "-c", command } };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the simulated nodes");
        await File.WriteAllTextAsync(NodesPidFile, process.Id.ToString(CultureInfo.InvariantCulture), token);
    }

    private string NodesPidFile => Path.Combine(dataDirectory, "simulated-nodes.pid");

    /// <summary>Stops every replica named by a pid file: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (File.Exists(NodesPidFile))
        {
            if (int.TryParse(File.ReadAllText(NodesPidFile), out var nodesPid) && IsAlive(nodesPid))
                _ = Kill(nodesPid, SIGTERM);
            File.Delete(NodesPidFile);
        }
        var running = Running();
        foreach (var (_, pid) in running)
            _ = Kill(pid, SIGTERM);
        var deadline = DateTime.UtcNow + grace;
        while (running.Any(r => IsAlive(r.Pid)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        foreach (var (_, pid) in running.Where(r => IsAlive(r.Pid)))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
        }
        foreach (var replica in layout.Replicas)
            File.Delete(PidFile(replica));
        return running.Count;
    }

    private List<(LocalReplica Replica, int Pid)> Running()
    {
        var running = new List<(LocalReplica, int)>();
        foreach (var replica in layout.Replicas)
        {
            if (File.Exists(PidFile(replica)) && int.TryParse(File.ReadAllText(PidFile(replica)), out var pid) && IsAlive(pid))
                running.Add((replica, pid));
        }
        return running;
    }

    private async Task WaitUntilReadyAsync(CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        using var pki = ClusterPki.LoadOrCreate(PkiDirectory);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && pki.Verify(certificate) };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var pending = layout.Replicas.ToList();
        while (pending.Count > 0)
        {
            timeout.Token.ThrowIfCancellationRequested();
            foreach (var replica in pending.ToList())
            {
                if (!File.Exists(PidFile(replica)) || !IsAlive(int.Parse(File.ReadAllText(PidFile(replica)), CultureInfo.InvariantCulture)))
                    throw new InvalidOperationException($"{replica.Name} exited during start-up; see {Path.Combine(dataDirectory, replica.Name, "server.log")}");
                try
                {
                    using var response = await client.GetAsync(new Uri(replica.ApiUri, "/readyz"), timeout.Token);
                    if (response.IsSuccessStatusCode)
                        pending.Remove(replica);
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!timeout.IsCancellationRequested)
                {
                }
            }
            if (pending.Count > 0)
                await Task.Delay(200, timeout.Token);
        }
    }

    private string PidFile(LocalReplica replica) => Path.Combine(dataDirectory, replica.Name + ".pid");

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
