using System.Text.Json;

namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    /// <summary>
    /// Removes every container this runtime does not watch (neither started nor adopted here): containers in our
    /// runc state directory, their shims, overlay mounts and bundles, and empty pod cgroups. An agent calls it once at
    /// start after <see cref="AdoptAsync"/>, so it removes only what can no longer be supervised; from a fresh runtime
    /// it removes everything a previous one left. Logs are kept so `previous` logs survive.
    /// </summary>
    public async Task<IReadOnlyList<string>> CleanUpOrphansAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var bundles = Directory.EnumerateDirectories(options.ContainersDirectory).Where(b => !containers.ContainsKey(Path.GetFileName(b))).ToList();
        // Shims first: one whose container goes has nothing left to do, and must not write into a bundle being removed.
        foreach (var bundle in bundles)
            KillShim(bundle);
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
        foreach (var bundle in bundles)
        {
            var id = Path.GetFileName(bundle);
            if (!removed.Contains(id))
            {
                // Not listed, yet its runc (left without a shim) may be creating it right now.
                var result = await Runc(["delete", "-f", id], cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded && !IsGone(result))
                    throw new ExternalCommandException($"runc delete -f {id}", result);
            }
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

    /// <summary>SIGKILL to the bundle's shim if it still runs; its `runc run` and container go with `runc delete -f`.</summary>
    private static void KillShim(string bundle)
    {
        if (ReadShimPid(bundle) is not { } pid || !ContainerShim.IsAlive(pid, Path.GetFileName(bundle)))
            return;
        try
        {
            using var shim = System.Diagnostics.Process.GetProcessById(pid);
            shim.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already exited.
        }
    }
}
