using System.Diagnostics;
using Grpc.Net.Client;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// `orchestrator up`: starts every replica of a local cluster as its own process on 127.0.0.1, waits for a
/// leader, and stops them all when cancelled (Ctrl-C).
/// </summary>
public sealed class LocalCluster(string dataDirectory, LocalClusterLayout layout) : IAsyncDisposable
{
    private readonly List<Process> processes = new();

    public async Task StartAsync(CancellationToken token)
    {
        var peers = string.Join(',', layout.Replicas.Select(r => r.Raft));
        var self = Environment.ProcessPath!;
        var entry = typeof(LocalCluster).Assembly.Location;
        foreach (var replica in layout.Replicas)
        {
            var info = new ProcessStartInfo(self) { UseShellExecute = false };
            // Running as `dotnet orchestrator.dll`, the host needs the dll; as an apphost it does not.
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                info.ArgumentList.Add(entry);
            foreach (var arg in new[] { "server", "--data", Path.Combine(dataDirectory, replica.Name), "--raft", replica.Raft, "--grpc", replica.Grpc, "--peers", peers })
                info.ArgumentList.Add(arg);
            processes.Add(Process.Start(info) ?? throw new InvalidOperationException($"could not start {replica.Name}"));
        }
        await WaitForLeaderAsync(token);
    }

    private async Task WaitForLeaderAsync(CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var channels = layout.Replicas.Select(r => GrpcChannel.ForAddress($"http://{r.Grpc}")).ToList();
        try
        {
            while (true)
            {
                timeout.Token.ThrowIfCancellationRequested();
                if (processes.FirstOrDefault(p => p.HasExited) is { } dead)
                    throw new InvalidOperationException($"a replica exited with code {dead.ExitCode} during start-up");
                try
                {
                    var leaders = new HashSet<string>();
                    foreach (var channel in channels)
                    {
                        var status = await new Store.StoreClient(channel).StatusAsync(new StatusRequest(),
                            deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: timeout.Token);
                        leaders.Add(status.Leader);
                    }
                    if (leaders.Count == 1 && leaders.First().Length > 0)
                    {
                        Console.WriteLine($"Cluster ready: {layout.Replicas.Count} replicas, leader {leaders.First()}");
                        return;
                    }
                }
                catch (Grpc.Core.RpcException)
                {
                }
                await Task.Delay(100, timeout.Token);
            }
        }
        finally
        {
            foreach (var channel in channels)
                channel.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes.Where(p => !p.HasExited))
            process.Kill(entireProcessTree: true);
        foreach (var process in processes)
        {
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
