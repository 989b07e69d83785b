namespace Orchestrator.Node.Runtime.Tests;

/// <summary>What real containers need here (root, runc, iproute2, busybox); a test fails with the reason when something is missing.</summary>
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
            throw new InvalidOperationException($"cannot run real containers: {missing}");
    }

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
