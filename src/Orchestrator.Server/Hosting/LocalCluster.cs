using Orchestrator.Client;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// `orchestrator up`: starts every replica of a local cluster as its own process on 127.0.0.1 (output in
/// DIR/replica-N/server.log, pid in DIR/replica-N.pid), writes DIR/kubeconfig and waits until every replica is
/// ready; then the local registry and real node agents, or simulated nodes. Every process is started through
/// <see cref="LocalProcesses"/> with a pid file in DIR; `orchestrator down` stops what the pid files name.
/// </summary>
public sealed class LocalCluster(string dataDirectory, LocalClusterLayout layout)
{
    public string KubeconfigPath => Path.Combine(dataDirectory, "kubeconfig");

    public string PkiDirectory => Path.Combine(dataDirectory, "pki");

    public string SimulatedNodesLog => Path.Combine(dataDirectory, "simulated-nodes.log");

    /// <summary>The registry of the layout (see <see cref="LocalClusterLayout.WithNodes"/>).</summary>
    public LocalRegistry Registry => new(dataDirectory, layout.Registry ?? throw new InvalidOperationException("the layout has no registry"));

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public LocalNodeAgents NodeAgents => new(dataDirectory, layout.Nodes ?? [], KubeconfigPath);

    public async Task StartAsync(CancellationToken token)
    {
        if (layout.Replicas.Any(r => LocalProcesses.RunningPid(PidFile(r)) is not null))
            throw new InvalidOperationException($"a cluster is already running from {dataDirectory}; run `orchestrator down --data {dataDirectory}` first");
        // A registry or node agent without replicas is left from an `up` that was killed: stop it and clean up after it.
        await StopAsync(TimeSpan.FromSeconds(10));
        using var pki = ClusterPki.LoadOrCreate(PkiDirectory);
        KubeconfigFile.Write(KubeconfigPath, [.. layout.Replicas.Select(r => r.ApiUri)], pki, "admin", ["system:masters"]);

        var encryption = Path.Combine(PkiDirectory, "encryption-config.yaml");
        Security.Encryption.StorageEncryption.CreateIfMissing(encryption);

        var peers = string.Join(',', layout.Replicas.Select(r => r.Raft));
        foreach (var replica in layout.Replicas)
        {
            var directory = Path.Combine(dataDirectory, replica.Name);
            await LocalProcesses.StartAsync(LocalProcesses.Self("server", "--data", directory, "--raft", replica.Raft, "--grpc", replica.Grpc,
                "--api", replica.Api, "--pki", PkiDirectory, "--peers", peers, "--encryption-provider-config", encryption,
                "--audit-log-path", Path.Combine(directory, "audit.log")), Path.Combine(directory, "server.log"), PidFile(replica), token);
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
    /// `up --nodes N`: the registry and N real node agents; returns once busybox is in the registry and every node is
    /// Ready. On failure the caller decides (<see cref="StopNodeAgentsAsync"/>, then simulated nodes).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task StartNodeAgentsAsync(int count, TimeSpan timeout, CancellationToken token)
    {
        var registry = Registry;
        await registry.StartAsync(token);
        var agents = NodeAgents;
        await agents.StartAsync(count, registry.Address, token);
        await Task.WhenAll(registry.WaitAndSeedAsync(token), WaitUntilNodesReadyAsync([.. agents.Started(count)], timeout, token));
    }

    /// <summary>Stops the node agents and the registry and removes what the agents leave behind.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task StopNodeAgentsAsync()
    {
        var agents = NodeAgents;
        await LocalProcesses.StopAsync([.. agents.PidFiles, Registry.PidFile], TimeSpan.FromSeconds(15));
        await agents.CleanUpAsync();
    }

    /// <summary>`up --simulated-nodes N`: one `orchestrator node --simulated` process (pid in DIR/simulated-nodes.pid) for nodes sim-0..; returns once they are Ready.</summary>
    public async Task StartSimulatedNodesAsync(int count, CancellationToken token)
    {
        var pidFile = Path.Combine(dataDirectory, "simulated-nodes.pid");
        await LocalProcesses.StartAsync(LocalProcesses.Self("node", "--simulated", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--kubeconfig", KubeconfigPath), SimulatedNodesLog, pidFile, token);
        await WaitUntilNodesReadyAsync([.. Enumerable.Range(0, count).Select(i => ($"sim-{i}", pidFile, SimulatedNodesLog))], TimeSpan.FromSeconds(30), token);
    }

    /// <summary>Polls the API until every node is Ready; throws with the reason when the process serving one exits or time runs out.</summary>
    public async Task WaitUntilNodesReadyAsync(IReadOnlyList<(string Node, string PidFile, string Log)> nodes, TimeSpan timeout, CancellationToken token)
    {
        using var client = await KubeClient.FromKubeconfigAsync(KubeconfigPath, null, new KubeClientOptions { UserAgent = "orchestrator-up/1.0" }, token);
        var pending = nodes.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var node in pending.ToList())
            {
                if (LocalProcesses.RunningPid(node.PidFile) is null)
                    throw new InvalidOperationException($"the process of {node.Node} exited: {LocalProcesses.LastLine(node.Log)} (log {node.Log})");
                try
                {
                    if ((await client.GetAsync(ApiResource.Nodes, null, node.Node, token)).HasTrueCondition("Ready"))
                        pending.Remove(node);
                }
                catch (KubeApiException e) when (e.Code == 404)
                {
                }
            }
            if (pending.Count == 0)
                return;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"{pending[0].Node} was not Ready within {timeout.TotalSeconds:0} s (log {pending[0].Log})");
            await Task.Delay(250, token);
        }
    }

    /// <summary>
    /// Stops every process named by a pid file in the data directory (SIGTERM, then SIGKILL after <paramref name="grace"/>),
    /// then removes what real node agents left behind (containers, namespaces, bridges).
    /// </summary>
    public async Task<LocalClusterStopped> StopAsync(TimeSpan grace)
    {
        var pidFiles = Directory.Exists(dataDirectory) ? Directory.GetFiles(dataDirectory, "*.pid") : [];
        var stopped = (await LocalProcesses.StopAsync(pidFiles, grace)).Select(Path.GetFileNameWithoutExtension).ToList();
        if (OperatingSystem.IsLinux() && layout.Nodes is { Count: > 0 })
            await NodeAgents.CleanUpAsync();
        return new LocalClusterStopped(
            stopped.Count(f => layout.Replicas.Any(r => r.Name == f)),
            stopped.Count(f => layout.Nodes?.Any(n => n.Name == f) == true),
            stopped.Contains("registry"));
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
                if (LocalProcesses.RunningPid(PidFile(replica)) is null)
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
}

/// <summary>What <see cref="LocalCluster.StopAsync"/> found running and stopped.</summary>
public sealed record LocalClusterStopped(int Replicas, int NodeAgents, bool Registry)
{
    public override string ToString() =>
        Replicas + NodeAgents == 0 && !Registry ? "Nothing was running."
        : $"Stopped {Replicas} replica(s)" + (NodeAgents > 0 ? $", {NodeAgents} node agent(s)" : "") + (Registry ? " and the registry" : "") + ".";
}
