using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// Builds an OCI runtime spec 1.0 config.json for one container: process (merged command, env, cwd,
/// Docker's capabilities, no new privileges), root, mounts, namespaces (joining the pod's network
/// namespace by path), cgroup path and resource limits, masked and read-only paths.
/// </summary>
public static class OciSpecBuilder
{
    /// <summary>CFS period used for cpu limits, as kubelet uses (100 ms).</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    /// <summary>The kernel refuses quotas below 1 ms.</summary>
    public const long MinCpuQuotaMicroseconds = 1_000;

    /// <summary>cpu.shares floor, as kubelet gives BestEffort pods.</summary>
    public const long MinCpuShares = 2;

    /// <param name="rootfsPath">The container's (writable) root filesystem directory.</param>
    /// <param name="cgroupsPath">Absolute cgroup path, e.g. /orchestrator/&lt;pod&gt;/&lt;container&gt;.</param>
    /// <param name="swapAccounting">Whether the kernel has memory.memsw (cgroup v1 swap accounting); runc fails setting swap without it.</param>
    public static JsonObject Build(ContainerConfig config, string rootfsPath, string cgroupsPath, bool swapAccounting = true)
    {
        var capabilities = OciDefaults.Strings(OciDefaults.Capabilities);
        var process = new JsonObject
        {
            ["terminal"] = config.Stdio.Tty,
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
            ["args"] = OciDefaults.Strings(ContainerCommand.Resolve(config.Image, config.Command, config.Args)),
            ["env"] = OciDefaults.Strings(ContainerCommand.ResolveEnv(config.Image, config.Env)),
            ["cwd"] = NonEmpty(config.WorkingDir) ?? NonEmpty(config.Image.WorkingDir) ?? "/",
            ["capabilities"] = new JsonObject
            {
                ["bounding"] = capabilities.DeepClone(),
                ["effective"] = capabilities.DeepClone(),
                ["permitted"] = capabilities.DeepClone(),
            },
            ["noNewPrivileges"] = true,
        };

        var mounts = new JsonArray(OciDefaults.FilesystemMounts().Cast<JsonNode?>().ToArray());
        foreach (var mount in config.Mounts)
        {
            // rbind so mounts below a hostPath come along; rprivate so nothing propagates back to the host.
            var options = new List<string> { "rbind", "rprivate" };
            if (mount.ReadOnly)
                options.Add("ro");
            mounts.Add(OciDefaults.Mount(mount.ContainerPath, "bind", mount.HostPath, options));
        }

        var namespaces = new JsonArray(
            Namespace("pid"), Namespace("ipc"), Namespace("uts"), Namespace("mount"),
            config.NetworkNamespacePath is { } netns ? Namespace("network", netns) : Namespace("network"));

        return new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = process,
            // For the shim (ContainerStdio): runc ignores annotations.
            ["annotations"] = new JsonObject
            {
                [ContainerStdio.StdinAnnotation] = config.Stdio.Stdin ? "true" : "false",
                [ContainerStdio.StdinOnceAnnotation] = config.Stdio.StdinOnce ? "true" : "false",
            },
            ["root"] = new JsonObject { ["path"] = rootfsPath, ["readonly"] = false },
            ["hostname"] = NonEmpty(config.Hostname) ?? config.Id,
            ["mounts"] = mounts,
            ["linux"] = new JsonObject
            {
                ["cgroupsPath"] = cgroupsPath,
                ["resources"] = Resources(config.Resources, swapAccounting),
                ["namespaces"] = namespaces,
                ["maskedPaths"] = OciDefaults.Strings(OciDefaults.MaskedPaths),
                ["readonlyPaths"] = OciDefaults.Strings(OciDefaults.ReadonlyPaths),
            },
        };
    }

    public static string Serialize(JsonObject spec) => spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Resources(ContainerResources resources, bool swapAccounting)
    {
        // Deny every device first; runc then allows its default set (null, zero, full, tty, random, urandom, pts).
        var result = new JsonObject
        {
            ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }),
        };
        if (resources.MemoryLimitBytes is { } memory)
        {
            // swap equal to the limit means no swap on top of it (cgroup v1 memsw counts memory + swap), as kubelet sets it.
            var limits = new JsonObject { ["limit"] = memory };
            if (swapAccounting)
                limits["swap"] = memory;
            result["memory"] = limits;
        }
        var cpu = new JsonObject();
        // Kubernetes defaults the request to the limit when only a limit is given.
        var request = resources.CpuRequestMillicores ?? resources.CpuLimitMillicores;
        cpu["shares"] = Math.Max(MinCpuShares, (request ?? 0) * 1024 / 1000);
        if (resources.CpuLimitMillicores is { } limit)
        {
            cpu["quota"] = Math.Max(MinCpuQuotaMicroseconds, limit * CpuPeriodMicroseconds / 1000);
            cpu["period"] = CpuPeriodMicroseconds;
        }
        result["cpu"] = cpu;
        return result;
    }

    private static JsonObject Namespace(string type, string? path = null)
    {
        var result = new JsonObject { ["type"] = type };
        if (path is not null)
            result["path"] = path;
        return result;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
