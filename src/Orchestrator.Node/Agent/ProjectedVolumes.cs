using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Orchestrator.Client;

namespace Orchestrator.Node.Agent;

/// <summary>
/// Projected volumes as kubelet writes them: service-account tokens (TokenRequest bound to the pod), ConfigMap and
/// Secret keys, and downward API fields in one directory. This is how every pod gets
/// /var/run/secrets/kubernetes.io/serviceaccount (token, ca.crt, namespace). A token is written again once 80% of
/// its lifetime has passed, as kubelet's token manager does, so an in-cluster client never holds an expired one.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ProjectedVolumes(ContainerSpecs specs, TimeProvider clock)
{
    internal const int DefaultMode = 420; // 0644, the API's default for projected, ConfigMap and Secret volumes

    /// <summary>"podId/volume/path" of every token written, with when it is due for a new one.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> tokensDue = new(StringComparer.Ordinal);

    public async Task WriteAsync(JsonObject pod, string podId, JsonObject volume, string directory, CancellationToken token)
    {
        Directory.CreateDirectory(directory);
        var projected = volume.Obj("projected")!;
        var mode = (int)(projected.Long("defaultMode") ?? DefaultMode);
        var ns = pod.Str("metadata", "namespace") ?? "";
        foreach (var source in projected.Items("sources"))
        {
            if (source.Obj("serviceAccountToken") is { } request)
                await WriteTokenAsync(pod, podId, volume.Str("name") ?? "", request, directory, mode, token).ConfigureAwait(false);
            else if (source.Obj("configMap") is { } configMap)
                await WriteKeysAsync(directory, await specs.DataAsync(ApiResource.ConfigMaps, ns, configMap.Str("name") ?? "",
                    configMap.Bool("optional") ?? false, token).ConfigureAwait(false), configMap, mode, token).ConfigureAwait(false);
            else if (source.Obj("secret") is { } secret)
                await WriteKeysAsync(directory, await specs.DataAsync(ApiResource.Secrets, ns, secret.Str("name") ?? "",
                    secret.Bool("optional") ?? false, token).ConfigureAwait(false), secret, mode, token).ConfigureAwait(false);
            else if (source.Obj("downwardAPI") is { } downward)
            {
                foreach (var item in downward.Items("items"))
                {
                    if (item.Str("fieldRef", "fieldPath") is { } field)
                        await WriteFileAsync(directory, item.Str("path") ?? "", ContainerSpecs.FieldValue(pod, field, sandbox: null), ModeOf(item, mode), token).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Writes new tokens for this pod's projected volumes whose tokens are due; called on every pod sync.</summary>
    public async Task RefreshAsync(JsonObject pod, string podId, PodSandbox sandbox, CancellationToken token)
    {
        var now = clock.GetUtcNow();
        foreach (var volume in pod.Items("spec", "volumes"))
        {
            var name = volume.Str("name") ?? "";
            if (volume.Obj("projected") is not { } projected || !sandbox.Volumes.TryGetValue(name, out var directory))
                continue;
            foreach (var request in projected.Items("sources").Select(s => s.Obj("serviceAccountToken")).OfType<JsonObject>())
            {
                if (tokensDue.TryGetValue(Key(podId, name, request), out var due) && due <= now)
                    await WriteTokenAsync(pod, podId, name, request, directory, (int)(projected.Long("defaultMode") ?? DefaultMode), token).ConfigureAwait(false);
            }
        }
    }

    public void Forget(string podId)
    {
        foreach (var key in tokensDue.Keys.Where(k => k.StartsWith(podId + "/", StringComparison.Ordinal)))
            tokensDue.TryRemove(key, out _);
    }

    private async Task WriteTokenAsync(JsonObject pod, string podId, string volume, JsonObject request, string directory, int mode, CancellationToken token)
    {
        var seconds = request.Long("expirationSeconds") ?? 3600;
        var (issued, expires) = await specs.RequestTokenAsync(pod, request.Str("audience"), seconds, token).ConfigureAwait(false);
        await WriteFileAsync(directory, request.Str("path") ?? "token", issued, mode, token).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        tokensDue[Key(podId, volume, request)] = now + (expires - now) * 0.8;
    }

    private static string Key(string podId, string volume, JsonObject request) => $"{podId}/{volume}/{request.Str("path") ?? "token"}";

    /// <summary>The keys an items list selects (each to its path), or every key under its own name; ConfigMap and Secret volumes too.</summary>
    internal static async Task WriteKeysAsync(string directory, IReadOnlyDictionary<string, string> data, JsonObject source, int mode, CancellationToken token)
    {
        Directory.CreateDirectory(directory); // mounted even when an optional source is missing
        var items = source.Items("items").ToList();
        if (items.Count == 0)
        {
            foreach (var (key, value) in data)
                await WriteFileAsync(directory, key, value, mode, token).ConfigureAwait(false);
            return;
        }
        foreach (var item in items)
        {
            if (data.TryGetValue(item.Str("key") ?? "", out var value))
                await WriteFileAsync(directory, item.Str("path") ?? "", value, ModeOf(item, mode), token).ConfigureAwait(false);
            else if (!(source.Bool("optional") ?? false) && data.Count > 0)
                throw new ContainerSpecs.ConfigException($"couldn't find key {item.Str("key")} for volume source {source.Str("name") ?? source.Str("secretName")}");
        }
    }

    private static int ModeOf(JsonObject item, int fallback) => (int)(item.Long("mode") ?? fallback);

    /// <summary>Replaces one file whole (write beside, then rename), so a reader in the container never sees half a token.</summary>
    private static async Task WriteFileAsync(string directory, string relative, string content, int mode, CancellationToken token)
    {
        // Paths are validated by the API server; refuse anything that could leave the volume anyway.
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/').Any(part => part is "" or "." or ".."))
            return;
        var path = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $"..{Path.GetFileName(path)}.tmp");
        await File.WriteAllTextAsync(temp, content, token).ConfigureAwait(false);
        File.SetUnixFileMode(temp, (UnixFileMode)(mode & 0x1FF));
        File.Move(temp, path, overwrite: true);
    }
}
