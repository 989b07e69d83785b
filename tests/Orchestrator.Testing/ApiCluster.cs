using Grpc.Core;
using Orchestrator.Server.Security;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Testing;

/// <summary>
/// A cluster of real replica processes serving the Kubernetes API over HTTPS on free 127.0.0.1 ports,
/// with a kubeconfig (contexts replica-1..N, admin client certificate) under one temporary folder.
/// Everything is killed and deleted on dispose.
/// </summary>
public sealed class ApiCluster : IAsyncDisposable
{
    private ApiCluster(int size, int watchWindow, Func<int, ReplicaPlacement>? placement)
    {
        WatchWindow = watchWindow;
        Root = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        for (var i = 1; i <= size; i++)
        {
            var where = placement?.Invoke(i) ?? ReplicaPlacement.Loopback;
            Replicas.Add(new ReplicaProcess(i, Path.Combine(Root, $"replica-{i}"), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), PkiDirectory,
                where.Host, where.Launcher));
        }
    }

    public string Root { get; }

    public string PkiDirectory => Path.Combine(Root, "pki");

    public string KubeconfigPath => Path.Combine(Root, "kubeconfig");

    public List<ReplicaProcess> Replicas { get; } = [];

    /// <summary>Events each replica keeps for watches (--watch-window); small values make 410 Expired easy to reach.</summary>
    public int WatchWindow { get; }

    /// <summary>Options every replica of this cluster was started with (beyond the harness's own).</summary>
    public IReadOnlyList<string> ServerArgs { get; private set; } = [];

    /// <param name="serverArgs">More `orchestrator server` options for every replica, e.g. short lease timings.</param>
    /// <param name="placement">Where replica N (1-based) runs; loopback when null.</param>
    /// <param name="beforeStart">Runs once the replicas' addresses and ports are chosen, before any starts (e.g. to route their links).</param>
    public static async Task<ApiCluster> StartAsync(int size = 3, int watchWindow = 100_000, IReadOnlyList<string>? serverArgs = null,
        Func<int, ReplicaPlacement>? placement = null, Func<ApiCluster, Task>? beforeStart = null)
    {
        var cluster = new ApiCluster(size, watchWindow, placement) { ServerArgs = serverArgs ?? [] };
        try
        {
            if (beforeStart is not null)
                await beforeStart(cluster);
            using (var pki = ClusterPki.LoadOrCreate(cluster.PkiDirectory))
                KubeconfigFile.Write(cluster.KubeconfigPath, [.. cluster.Replicas.Select(r => r.ApiUri)], pki, "admin", ["system:masters"]);
            var peers = cluster.Replicas.Select(r => r.RaftEndpoint).ToList();
            foreach (var replica in cluster.Replicas)
                replica.Start(peers, watchWindow: watchWindow, extraArgs: cluster.ServerArgs);
            await cluster.WaitReadyAsync(cluster.Replicas);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a stopped replica again with the cluster's peers and settings.</summary>
    public void Restart(ReplicaProcess replica) =>
        replica.Start(Replicas.Select(r => r.RaftEndpoint), watchWindow: WatchWindow, extraArgs: ServerArgs);

    /// <summary>Starts a stopped replica with no members, to be added to the running cluster (after its data was wiped, say).</summary>
    public void RestartJoining(ReplicaProcess replica) =>
        replica.Start([], join: true, watchWindow: WatchWindow, extraArgs: ServerArgs);

    /// <summary>An HTTPS client for a replica that trusts the cluster CA and presents the admin certificate.</summary>
    public HttpClient CreateHttpClient(ReplicaProcess replica, string user = "admin", string[]? groups = null)
    {
        using var pki = ClusterPki.LoadOrCreate(PkiDirectory);
        return CreateHttpClient(replica, pki.IssueClientCertificate(user, groups ?? ["system:masters"]), bearerToken: null);
    }

    /// <summary>An HTTPS client for a replica that trusts the cluster CA and presents the given credentials, or none.</summary>
    public HttpClient CreateHttpClient(ReplicaProcess replica, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, string? bearerToken)
    {
        using var pki = ClusterPki.LoadOrCreate(PkiDirectory);
        var authority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(pki.Authority.RawData);
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                ClientCertificates = certificate is null ? null : [certificate],
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is null)
                        return false;
                    using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                    chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                    return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(cert));
                },
            },
        };
        var client = new HttpClient(handler) { BaseAddress = replica.ApiUri, Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    /// <summary>Waits until every given replica answers /readyz with 200 (a leader, and caught up).</summary>
    public async Task WaitReadyAsync(IEnumerable<ReplicaProcess> replicas, TimeSpan? timeout = null)
    {
        foreach (var replica in replicas)
        {
            using var client = CreateHttpClient(replica);
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await client.GetAsync("/readyz");
                return response.IsSuccessStatusCode;
            }, timeout ?? TimeSpan.FromSeconds(60), () => $"--- replica {replica.Ordinal}\n{replica.Output}");
        }
    }

    /// <summary>The replica every running replica names as leader.</summary>
    public async Task<ReplicaProcess> LeaderAsync(TimeSpan? timeout = null)
    {
        ReplicaProcess? leader = null;
        var running = Replicas.Where(r => r.IsRunning).ToList();
        await Eventually.HoldsAsync(async () =>
        {
            var names = new HashSet<string>();
            foreach (var replica in running)
                names.Add((await replica.Client.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Leader);
            leader = Replicas.FirstOrDefault(r => names.Count == 1 && r.RaftEndpoint == names.Single());
            return leader is not null;
        }, timeout ?? TimeSpan.FromSeconds(30));
        return leader!;
    }

    public string ContextOf(ReplicaProcess replica) => KubeconfigFile.ContextName(replica.Ordinal - 1);

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Replicas)
            await replica.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
