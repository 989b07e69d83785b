using Etcdserverpb;
using Grpc.Core;
using Orchestrator.Testing;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// A 3-member etcd cluster on free 127.0.0.1 ports under one temporary folder, for the baseline numbers. etcd's own
/// defaults (heartbeat 100 ms, election timeout 1000 ms, one fdatasync per batch). Killed and deleted on dispose.
/// </summary>
internal sealed class EtcdCluster : IAsyncDisposable
{
    private readonly string token = "bench-" + Guid.NewGuid().ToString("N")[..8];

    private EtcdCluster(string binary, int size)
    {
        Root = Path.Combine(Path.GetTempPath(), "orchestrator-bench-etcd", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        for (var i = 1; i <= size; i++)
            Members.Add(new EtcdMember(binary, $"m{i}", FreePorts.Next(), FreePorts.Next(), Path.Combine(Root, $"m{i}")));
    }

    public string Root { get; }

    public List<EtcdMember> Members { get; } = [];

    private string InitialCluster => string.Join(',', Members.Select(m => $"{m.Name}={m.PeerUrl}"));

    /// <summary>The `etcd` executable on PATH, or null.</summary>
    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "etcd"))
        .FirstOrDefault(File.Exists);

    public static async Task<EtcdCluster> StartAsync(string binary, int size, CancellationToken cancel)
    {
        var cluster = new EtcdCluster(binary, size);
        try
        {
            foreach (var member in cluster.Members)
                member.Start(cluster.InitialCluster, cluster.token);
            await cluster.LeaderAsync(TimeSpan.FromSeconds(60), cancel);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a killed member again from its data directory.</summary>
    public void Restart(EtcdMember member) => member.Start(InitialCluster, token);

    /// <summary>The member every running member names as leader (Maintenance.Status: leader id = that member's header member id).</summary>
    public async Task<EtcdMember> LeaderAsync(TimeSpan timeout, CancellationToken cancel)
    {
        var running = Members.Where(m => m.ProcessId is not null).ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var statuses = new List<StatusResponse>();
                foreach (var member in running)
                    statuses.Add(await member.Maintenance.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancel));
                var leaders = statuses.Select(s => s.Leader).Distinct().ToList();
                if (leaders is [var id] && id != 0 && statuses.FindIndex(s => s.Header.MemberId == id) is var index and >= 0)
                    return running[index];
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"etcd: no leader agreed on by all running members within {timeout}\n" +
                                           string.Join('\n', running.Select(m => $"--- {m.Name}\n{m.Output}")));
            await Task.Delay(50, cancel);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var member in Members)
            member.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
