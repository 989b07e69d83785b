using System.Text.Json.Nodes;

namespace Orchestrator.Node.Runtime;

/// <summary>The fixed parts of every container's config.json, chosen to match Docker's defaults.</summary>
internal static class OciDefaults
{
    /// <summary>Docker's default capability set (moby oci/caps/defaults.go); NET_RAW kept so ping works, as in Docker.</summary>
    public static readonly string[] Capabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Kernel interfaces that leak host information or allow host changes; hidden like Docker does.</summary>
    public static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    ];

    public static readonly string[] ReadonlyPaths =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>proc, sysfs (ro), /dev as tmpfs with devpts, shm and mqueue; runc creates the standard device nodes.</summary>
    public static IEnumerable<JsonObject> FilesystemMounts()
    {
        yield return Mount("/proc", "proc", "proc", []);
        yield return Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]);
        yield return Mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);
        yield return Mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]);
        yield return Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
        yield return Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]);
        yield return Mount("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]);
    }

    public static JsonObject Mount(string destination, string type, string source, IEnumerable<string> options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = Strings(options),
    };

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
