using System.Text.Json;

namespace Orchestrator.Node.Runtime;

/// <summary>What a bundle records for adoption (<see cref="RuncRuntime.AdoptAsync"/>).</summary>
internal sealed record ContainerRecord(string Id, string PodId, DateTimeOffset StartedAt);

public sealed partial class RuncRuntime
{
    /// <summary>
    /// Takes over the containers an earlier runtime on this root started (the agent restarted): each one whose shim
    /// still runs, or whose shim recorded its exit, is watched again as if started here (Wait, Stop, Exec, Delete...).
    /// The rest (no record, or a shim that died without an exit) is left for <see cref="CleanUpOrphansAsync"/>.
    /// Returns what it adopted, exits already known.
    /// </summary>
    public Task<IReadOnlyList<ContainerStatus>> AdoptAsync(CancellationToken cancellationToken)
    {
        var adopted = new List<ContainerStatus>();
        foreach (var bundle in Directory.EnumerateDirectories(options.ContainersDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = Path.GetFileName(bundle);
            if (containers.ContainsKey(id) || ReadRecord(bundle) is not { } record || record.Id != id)
                continue;
            var container = new RuncContainer(id, record.PodId, bundle, CgroupPath(record.PodId, id), LogPath(id), record.StartedAt)
            {
                ShimPid = ReadShimPid(bundle),
                Pid = ReadPid(Path.Combine(bundle, "pid")),
            };
            if (!container.ShimAlive() && !File.Exists(Path.Combine(bundle, ContainerShim.ExitFile)))
                continue;
            containers[id] = container;
            // The first look at the exit file happens before MonitorAsync returns: the status below already has it.
            container.Monitor = MonitorAsync(container);
            var status = container.Status();
            Log.Adopted(logger, id, status.State);
            adopted.Add(status);
        }
        return Task.FromResult<IReadOnlyList<ContainerStatus>>(adopted);
    }

    private static ContainerRecord? ReadRecord(string bundle)
    {
        try
        {
            var file = Path.Combine(bundle, RecordFile);
            return File.Exists(file) ? JsonSerializer.Deserialize<ContainerRecord>(File.ReadAllText(file), Json) : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private static int? ReadShimPid(string bundle) => ReadPid(Path.Combine(bundle, ContainerShim.PidFile));

    private static int? ReadPid(string file)
    {
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadAllText(file), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
