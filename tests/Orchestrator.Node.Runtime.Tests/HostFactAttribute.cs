using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

/// <summary>
/// A test that needs root, runc and iproute2. Where they are missing it fails (in <see cref="Host.Require"/>)
/// so CI cannot pass by silently skipping; ORCHESTRATOR_ALLOW_SKIP=1 turns that into a skip for laptops.
/// </summary>
public sealed class HostFactAttribute : FactAttribute
{
    public HostFactAttribute()
    {
        if (Host.Missing() is { } missing && Environment.GetEnvironmentVariable("ORCHESTRATOR_ALLOW_SKIP") == "1")
            Skip = missing;
    }
}

public static class Host
{
    /// <summary>What keeps real containers from running here, or null.</summary>
    public static string? Missing()
    {
        if (!OperatingSystem.IsLinux())
            return "not Linux";
        if (Environment.UserName != "root")
            return "not root";
        if (Which("runc") is null)
            return "runc is not installed (apt-get install -y runc)";
        if (Which("ip") is null)
            return "iproute2 is not installed (apt-get install -y iproute2)";
        if (BusyboxRootfs.FindBusybox() is null)
            return "busybox is not installed (apt-get install -y busybox-static)";
        return null;
    }

    public static void Require()
    {
        if (Missing() is { } missing)
            throw new InvalidOperationException($"cannot run real containers: {missing} (set ORCHESTRATOR_ALLOW_SKIP=1 to skip instead)");
    }

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
