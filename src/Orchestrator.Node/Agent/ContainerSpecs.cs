using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Validation;
using Orchestrator.Client;
using Orchestrator.Node.Images;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

/// <summary>Turns a pod's container spec into a runtime <see cref="ContainerConfig"/>: command, env, mounts, limits.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ContainerSpecs(KubeClient client)
{
    /// <summary>A referenced ConfigMap, Secret or key is missing: kubelet reports CreateContainerConfigError and retries.</summary>
    public sealed class ConfigException(string message) : Exception(message);

    public static PullPolicy PullPolicyOf(JsonObject container)
    {
        var image = container.Str("image") ?? "";
        return container.Str("imagePullPolicy") switch
        {
            "Always" => PullPolicy.Always,
            "Never" => PullPolicy.Never,
            "IfNotPresent" => PullPolicy.IfNotPresent,
            // The API defaults it, but be safe: :latest (or no tag) means Always, as Kubernetes does.
            _ when image.Contains('@') => PullPolicy.IfNotPresent,
            _ when !LastSegment(image).Contains(':') || image.EndsWith(":latest", StringComparison.Ordinal) => PullPolicy.Always,
            _ => PullPolicy.IfNotPresent,
        };
    }

    private static string LastSegment(string image) => image[(image.LastIndexOf('/') + 1)..];

    public async Task<ContainerConfig> BuildAsync(JsonObject pod, JsonObject container, string containerId, Image image,
        PodSandbox sandbox, CancellationToken token)
    {
        var limits = container.Obj("resources", "limits");
        var requests = container.Obj("resources", "requests");
        return new ContainerConfig
        {
            Id = containerId,
            PodId = sandbox.PodId,
            ImageRootfs = image.RootFsPath,
            Image = RuntimeImageConfig(image.Config),
            Command = NullIfEmpty(container.Strings("command")),
            Args = NullIfEmpty(container.Strings("args")),
            Env = await EnvAsync(pod, container, sandbox, token).ConfigureAwait(false),
            WorkingDir = container.Str("workingDir"),
            Hostname = pod.Str("spec", "hostname") ?? pod.Name(),
            Mounts = Mounts(container, sandbox),
            NetworkNamespacePath = sandbox.NamespacePath,
            Stdio = new ContainerStdio(container.Bool("stdin") == true, container.Bool("stdinOnce") == true, container.Bool("tty") == true),
            Resources = new ContainerResources
            {
                MemoryLimitBytes = Quantity.Read(limits?["memory"])?.Int64Value,
                CpuLimitMillicores = Quantity.Read(limits?["cpu"])?.Int64MilliValue,
                CpuRequestMillicores = Quantity.Read(requests?["cpu"] ?? limits?["cpu"])?.Int64MilliValue,
            },
        };
    }

    /// <summary>The image store's OCI config as the runtime takes it (entrypoint, cmd, env, working directory).</summary>
    private static Runtime.ImageConfig RuntimeImageConfig(Images.ImageConfig? config) => new()
    {
        Entrypoint = config?.Entrypoint ?? [],
        Cmd = config?.Cmd ?? [],
        Env = config?.Env ?? [],
        WorkingDir = string.IsNullOrEmpty(config?.WorkingDir) ? null : config.WorkingDir,
    };

    private static IReadOnlyList<string>? NullIfEmpty(IEnumerable<string> values) => values.ToArray() is { Length: > 0 } array ? array : null;

    private static IReadOnlyList<ContainerMount> Mounts(JsonObject container, PodSandbox sandbox)
    {
        var mounts = new List<ContainerMount>();
        foreach (var mount in container.Items("volumeMounts"))
        {
            var name = mount.Str("name") ?? "";
            // Only volumes the sandbox prepared (emptyDir, hostPath, configMap, secret) can be mounted.
            if (!sandbox.Volumes.TryGetValue(name, out var hostPath))
                throw new ConfigException($"volume \"{name}\" is not available on this node");
            var source = mount.Str("subPath") is { Length: > 0 } sub ? Path.Combine(hostPath, sub) : hostPath;
            mounts.Add(new ContainerMount(source, mount.Str("mountPath") ?? "", mount.Bool("readOnly") ?? false));
        }
        return mounts;
    }

    private async Task<IReadOnlyList<KeyValuePair<string, string>>> EnvAsync(JsonObject pod, JsonObject container, PodSandbox sandbox, CancellationToken token)
    {
        var ns = pod.Str("metadata", "namespace") ?? "";
        var env = new List<KeyValuePair<string, string>>();
        foreach (var source in container.Items("envFrom"))
        {
            var prefix = source.Str("prefix") ?? "";
            var (data, _) = await ReadRefAsync(ns, source, optionalKey: null, token).ConfigureAwait(false);
            foreach (var (key, value) in data)
                env.Add(new(prefix + key, value));
        }
        foreach (var variable in container.Items("env"))
        {
            var name = variable.Str("name") ?? "";
            if (variable.Obj("valueFrom") is not { } from)
            {
                env.Add(new(name, variable.Str("value") ?? ""));
                continue;
            }
            if (from.Str("fieldRef", "fieldPath") is { } field)
            {
                env.Add(new(name, FieldValue(pod, field, sandbox)));
                continue;
            }
            var (values, key) = await ReadRefAsync(ns, from, optionalKey: "", token).ConfigureAwait(false);
            if (key is not null && values.TryGetValue(key, out var value))
                env.Add(new(name, value));
        }
        return env;
    }

    /// <summary>A downward API field; a volume (written before the sandbox has an address) passes no sandbox.</summary>
    internal static string FieldValue(JsonObject pod, string field, PodSandbox? sandbox) => field switch
    {
        "status.podIP" => sandbox?.Address ?? "",
        "status.hostIP" => sandbox?.HostIp ?? "",
        "spec.nodeName" => pod.Str("spec", "nodeName") ?? "",
        "spec.serviceAccountName" => pod.Str("spec", "serviceAccountName") ?? "",
        _ when field.StartsWith("metadata.labels['", StringComparison.Ordinal) =>
            pod.Str("metadata", "labels", field["metadata.labels['".Length..^2]) ?? "",
        _ when field.StartsWith("metadata.annotations['", StringComparison.Ordinal) =>
            pod.Str("metadata", "annotations", field["metadata.annotations['".Length..^2]) ?? "",
        _ => pod.Str(field.Split('.')) ?? "",
    };

    /// <summary>
    /// Reads the ConfigMap or Secret an envFrom source or a valueFrom key selector names. Returns its data and,
    /// for a key selector, the key; a missing optional reference gives no values.
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, string> Data, string? Key)> ReadRefAsync(string ns, JsonObject source, string? optionalKey,
        CancellationToken token)
    {
        var (reference, resource) = source.Obj(optionalKey is null ? "configMapRef" : "configMapKeyRef") is { } cm
            ? (cm, ApiResource.ConfigMaps)
            : (source.Obj(optionalKey is null ? "secretRef" : "secretKeyRef"), ApiResource.Secrets);
        if (reference is null)
            return (new Dictionary<string, string>(), null);
        var name = reference.Str("name") ?? "";
        var optional = reference.Bool("optional") ?? false;
        var key = optionalKey is null ? null : (reference.Str("key") ?? "");
        var data = await DataAsync(resource, ns, name, optional, token).ConfigureAwait(false);
        if (key is not null && !data.ContainsKey(key) && !optional)
            throw new ConfigException($"couldn't find key {key} in {resource.Plural} {ns}/{name}");
        return (data, key);
    }

    private static readonly ApiResource ServiceAccounts = new("", "v1", "serviceaccounts", true);

    /// <summary>
    /// A token for the pod's service account bound to the pod (TokenRequest, as kubelet asks for it): it stops
    /// authenticating once the pod is deleted. Returns the token and when it expires.
    /// </summary>
    public async Task<(string Token, DateTimeOffset Expires)> RequestTokenAsync(JsonObject pod, string? audience, long seconds, CancellationToken token)
    {
        var ns = pod.Str("metadata", "namespace") ?? "";
        var account = pod.Str("spec", "serviceAccountName") ?? "default";
        var request = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["spec"] = new JsonObject
            {
                ["audiences"] = audience is { Length: > 0 } ? new JsonArray(audience) : new JsonArray(),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = new JsonObject
                {
                    ["kind"] = "Pod",
                    ["apiVersion"] = "v1",
                    ["name"] = pod.Str("metadata", "name"),
                    ["uid"] = pod.Str("metadata", "uid"),
                },
            },
        };
        JsonObject issued;
        try
        {
            issued = await client.CreateSubresourceAsync(ServiceAccounts, ns, account, "token", request, token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code is 404 or 403)
        {
            throw new ConfigException($"failed to fetch token: serviceaccount \"{account}\" in {ns}: {e.Message}");
        }
        var expires = DateTimeOffset.Parse(issued.Str("status", "expirationTimestamp") ?? "", System.Globalization.CultureInfo.InvariantCulture);
        return (issued.Str("status", "token") ?? "", expires);
    }

    /// <summary>A ConfigMap's data (and binaryData) or a Secret's decoded data, as text.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DataAsync(ApiResource resource, string ns, string name, bool optional, CancellationToken token)
    {
        JsonObject obj;
        try
        {
            obj = await client.GetAsync(resource, ns, name, token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            if (optional)
                return new Dictionary<string, string>();
            throw new ConfigException($"{(resource == ApiResource.Secrets ? "secret" : "configmap")} \"{name}\" not found");
        }
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        var secret = resource == ApiResource.Secrets;
        foreach (var (key, value) in obj.Obj("data") ?? [])
        {
            var text = value?.GetValue<string>() ?? "";
            data[key] = secret ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text;
        }
        foreach (var (key, value) in obj.Obj("binaryData") ?? [])
            data[key] = Encoding.UTF8.GetString(Convert.FromBase64String(value?.GetValue<string>() ?? ""));
        return data;
    }
}
