using System.Runtime.InteropServices;

namespace Orchestrator.Node.Runtime;

/// <summary>The syscalls the runtime makes itself (overlay mounts, the container shim's session), through libc.</summary>
internal static partial class LibC
{
    /// <summary>MNT_DETACH: lazy unmount, so a process still holding a file open does not block cleanup.</summary>
    public const int MountDetach = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fileSystemType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unmount(string target, int flags);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    /// <summary>CLONE_NEWNET: setns into a network namespace.</summary>
    public const int NewNetworkNamespace = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int type);
}
