using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Node.Network;

namespace Orchestrator.Node.Agent;

/// <summary>What a pod's containers share: its network namespace and address, and its volumes on the host.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed record PodSandbox(string PodId, string NamespacePath, string Address, string HostIp, IReadOnlyDictionary<string, string> Volumes);

/// <summary>Sets up and tears down pod sandboxes: network through <see cref="PodNetwork"/>, volumes as host directories (projected ones through <see cref="ProjectedVolumes"/>).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class PodSandboxes(PodNetwork network, ContainerSpecs specs, ProjectedVolumes projected, string podsDirectory, string hostIp)
{
    /// <summary>Keeps the sandbox's projected service-account tokens fresh; cheap when none is due.</summary>
    public Task RefreshAsync(JsonObject pod, PodSandbox sandbox, CancellationToken token) =>
        projected.RefreshAsync(pod, sandbox.PodId, sandbox, token);

    /// <summary>Idempotent: an existing namespace keeps its address, volume contents are kept (emptyDir survives restarts).</summary>
    public async Task<PodSandbox> SetUpAsync(JsonObject pod, string podId, CancellationToken token)
    {
        var volumes = await VolumesAsync(pod, podId, token).ConfigureAwait(false);
        var attachment = await network.SetUpAsync(podId, token).ConfigureAwait(false);
        return new PodSandbox(podId, attachment.NamespacePath, attachment.Address.ToString(), hostIp, volumes);
    }

    public async Task TearDownAsync(string podId, CancellationToken token)
    {
        await network.TearDownAsync(podId, token).ConfigureAwait(false);
        projected.Forget(podId);
        var directory = Path.Combine(podsDirectory, podId);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    private async Task<IReadOnlyDictionary<string, string>> VolumesAsync(JsonObject pod, string podId, CancellationToken token)
    {
        var ns = pod.Str("metadata", "namespace") ?? "";
        var volumes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Items("spec", "volumes"))
        {
            var name = volume.Str("name") ?? "";
            var directory = Path.Combine(podsDirectory, podId, "volumes", name);
            if (volume.Obj("emptyDir") is not null)
            {
                Directory.CreateDirectory(directory);
                volumes[name] = directory;
            }
            else if (volume.Str("hostPath", "path") is { } hostPath)
            {
                if (volume.Str("hostPath", "type") is "DirectoryOrCreate")
                    Directory.CreateDirectory(hostPath);
                volumes[name] = hostPath;
            }
            else if (volume.Obj("configMap") is { } configMap)
            {
                var data = await specs.DataAsync(ApiResource.ConfigMaps, ns, configMap.Str("name") ?? "",
                    configMap.Bool("optional") ?? false, token).ConfigureAwait(false);
                await ProjectedVolumes.WriteKeysAsync(directory, data, configMap, Mode(configMap), token).ConfigureAwait(false);
                volumes[name] = directory;
            }
            else if (volume.Obj("projected") is not null)
            {
                await projected.WriteAsync(pod, podId, volume, directory, token).ConfigureAwait(false);
                volumes[name] = directory;
            }
            else if (volume.Obj("secret") is { } secret)
            {
                var data = await specs.DataAsync(ApiResource.Secrets, ns, secret.Str("secretName") ?? "",
                    secret.Bool("optional") ?? false, token).ConfigureAwait(false);
                await ProjectedVolumes.WriteKeysAsync(directory, data, secret, Mode(secret), token).ConfigureAwait(false);
                volumes[name] = directory;
            }
        }
        return volumes;
    }

    private static int Mode(JsonObject source) => (int)(source.Long("defaultMode") ?? ProjectedVolumes.DefaultMode);
}
