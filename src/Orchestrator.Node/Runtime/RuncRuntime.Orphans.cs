using System.Text.Json;

namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    /// <summary>
    /// Removes what a previous run of this agent left behind (it crashed or was killed): every container in
    /// our runc state directory, overlay mounts and bundles, and empty pod cgroups. Call once at start,
    /// before creating containers; logs are kept so `previous` logs survive an agent restart.
    /// </summary>
    public async Task<IReadOnlyList<string>> CleanUpOrphansAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var list = await Runc(["list", "--format", "json"], cancellationToken).ConfigureAwait(false);
        if (!list.Succeeded)
            throw new ExternalCommandException("runc list", list);
        // runc prints "null" when it has no containers.
        using (var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(list.StandardOutput) ? "null" : list.StandardOutput))
        {
            if (json.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in json.RootElement.EnumerateArray())
                {
                    var id = entry.GetProperty("id").GetString()!;
                    if (containers.ContainsKey(id))
                        continue;
                    var result = await Runc(["delete", "-f", id], cancellationToken).ConfigureAwait(false);
                    if (!result.Succeeded && !IsGone(result))
                        throw new ExternalCommandException($"runc delete -f {id}", result);
                    removed.Add(id);
                }
            }
        }
        foreach (var bundle in Directory.EnumerateDirectories(options.ContainersDirectory))
        {
            var id = Path.GetFileName(bundle);
            if (containers.ContainsKey(id))
                continue;
            RemoveBundle(bundle);
            if (!removed.Contains(id))
                removed.Add(id);
        }
        var parent = CgroupStats.DirectoryOf(options.CgroupRoot, options.CgroupParent);
        if (Directory.Exists(parent))
        {
            foreach (var pod in Directory.EnumerateDirectories(parent))
                CgroupStats.RemoveEmpty(options.CgroupRoot, $"/{options.CgroupParent}/{Path.GetFileName(pod)}");
        }
        foreach (var id in removed)
            Log.OrphanRemoved(logger, id);
        return removed;
    }
}
