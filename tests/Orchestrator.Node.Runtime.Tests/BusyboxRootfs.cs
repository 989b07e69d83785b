namespace Orchestrator.Node.Runtime.Tests;

/// <summary>
/// A minimal image root filesystem made on the spot from Debian's static busybox: bin/busybox, applet
/// symlinks and the directories runc mounts over. Stands in for an unpacked image.
/// </summary>
public sealed class BusyboxRootfs : IDisposable
{
    private static readonly string[] Applets =
        ["sh", "echo", "sleep", "cat", "ps", "ip", "ping", "nc", "dd", "tail", "true", "false", "ls", "hostname", "wc", "head", "yes", "env"];

    public BusyboxRootfs()
    {
        Path = Directory.CreateTempSubdirectory("orch-image-").FullName;
        var busybox = FindBusybox() ?? throw new InvalidOperationException("busybox not found");
        foreach (var directory in new[] { "bin", "proc", "sys", "dev", "tmp", "etc", "root" })
            Directory.CreateDirectory(System.IO.Path.Combine(Path, directory));
        File.Copy(busybox, System.IO.Path.Combine(Path, "bin", "busybox"));
        File.SetUnixFileMode(System.IO.Path.Combine(Path, "bin", "busybox"), (UnixFileMode)0b111_101_101);
        foreach (var applet in Applets)
            File.CreateSymbolicLink(System.IO.Path.Combine(Path, "bin", applet), "busybox");
        File.WriteAllText(System.IO.Path.Combine(Path, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(System.IO.Path.Combine(Path, "etc", "group"), "root:x:0:\n");
    }

    public string Path { get; }

    public static string? FindBusybox() =>
        new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
