using System.Runtime.InteropServices;

namespace Orchestrator.Node.Images;

/// <summary>The few libc calls .NET has no API for: hard links and ownership of links themselves.</summary>
internal static partial class UnixNative
{
    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string existing, string created);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChownNative(string path, int uid, int gid);

    public static void HardLink(string existing, string created)
    {
        if (LinkNative(existing, created) != 0)
            throw new IOException($"link {existing} -> {created}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>Changes the owner without following a symlink (chown would change its target).</summary>
    public static void LChown(string path, int uid, int gid)
    {
        if (LChownNative(path, uid, gid) != 0)
            throw new IOException($"lchown {path}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>chmod; the node agent runs on Linux only, this guard keeps the platform analyzer honest.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("image root filesystems need a Unix file system");
        File.SetUnixFileMode(path, mode);
    }
}
