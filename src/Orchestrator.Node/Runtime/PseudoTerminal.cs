using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Node.Runtime;

/// <summary>A terminal window size in character cells.</summary>
public readonly record struct TerminalSize(ushort Columns, ushort Rows);

/// <summary>
/// A pseudo-terminal whose slave becomes the controlling terminal and stdio of one spawned process (as a shell
/// on a login terminal), the master staying with us: read it for the process's output, write it for its input,
/// <see cref="Resize"/> it to send the process SIGWINCH. .NET's Process only gives pipes, and fork() is unsafe in
/// a managed process, so the child comes from posix_spawn: glibc runs POSIX_SPAWN_SETSID before the file actions,
/// so the new session leader opening the slave (without O_NOCTTY) acquires it as its controlling terminal.
/// All the unsafe interop of the terminal is here.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe partial class PseudoTerminal : IDisposable
{
    private const int ReadWrite = 0x2; // O_RDWR
    private const int NoControllingTerminal = 0x100; // O_NOCTTY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const nuint SetWindowSize = 0x5414; // TIOCSWINSZ (x86_64 and arm64)
    private const short SpawnSetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    private const short SpawnSetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    private const short SpawnSetSession = 0x80; // POSIX_SPAWN_SETSID
    private const int Interrupted = 4; // EINTR

    // glibc's posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128: room to spare.
    private const int OpaqueSize = 1024;

    private readonly SafeFileHandle master;

    private PseudoTerminal(SafeFileHandle master, string slavePath)
    {
        this.master = master;
        SlavePath = slavePath;
    }

    /// <summary>The slave's path, /dev/pts/N.</summary>
    public string SlavePath { get; }

    /// <summary>Opens a new pseudo-terminal of the given size; the master is close-on-exec.</summary>
    public static PseudoTerminal Open(TerminalSize size)
    {
        var fd = PosixOpenPt(ReadWrite | NoControllingTerminal | CloseOnExec);
        if (fd < 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "posix_openpt");
        var master = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            Check(GrantPt(fd), "grantpt");
            Check(UnlockPt(fd), "unlockpt");
            var name = stackalloc byte[128];
            var error = PtsNameR(fd, name, 128);
            if (error != 0)
                throw new Win32Exception(error, "ptsname_r");
            var terminal = new PseudoTerminal(master, Marshal.PtrToStringUTF8((nint)name)!);
            terminal.Resize(size);
            return terminal;
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A stream on the master: reading gives what the process writes to its terminal and ends (IOException, EIO)
    /// once no process has the slave open any more; writing is typing. Blocking reads: give it its own thread.
    /// </summary>
    public FileStream OpenMaster(FileAccess access) => new(master, access, bufferSize: 0);

    /// <summary>Sets the window size; the kernel sends SIGWINCH to the terminal's foreground process group.</summary>
    public void Resize(TerminalSize size)
    {
        var window = new WindowSize { Rows = size.Rows, Columns = size.Columns };
        var added = false;
        master.DangerousAddRef(ref added);
        try
        {
            Check(IoctlWindowSize((int)master.DangerousGetHandle(), SetWindowSize, &window), "ioctl(TIOCSWINSZ)");
        }
        finally
        {
            if (added)
                master.DangerousRelease();
        }
    }

    /// <summary>
    /// Starts <paramref name="file"/> (looked up in PATH) with <paramref name="arguments"/> (argv[0] included) in a
    /// new session whose controlling terminal and stdin/stdout/stderr are the slave; signal mask and dispositions
    /// are reset to defaults. Returns the child's pid: the caller reaps it with <see cref="WaitForExit"/>.
    /// </summary>
    public int Spawn(string file, IReadOnlyList<string> arguments, IEnumerable<string> environment)
    {
        // Our own slave descriptor keeps the master from reporting a hang-up (EIO) before the child has the slave
        // open; posix_spawn returns only after the child exec'd, that is after its file actions ran.
        // O_NOCTTY: the agent itself must never acquire the terminal.
        var slaveFd = OpenFile(SlavePath, ReadWrite | NoControllingTerminal | CloseOnExec);
        if (slaveFd < 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"open {SlavePath}");
        using var slave = new SafeFileHandle(slaveFd, ownsHandle: true);
        var strings = new List<nint>();
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        var attributesReady = false;
        var actionsReady = false;
        try
        {
            var argv = Terminated(arguments, strings);
            var envp = Terminated([.. environment], strings);
            var path = Marshal.StringToCoTaskMemUTF8(file);
            strings.Add(path);
            var slavePath = Marshal.StringToCoTaskMemUTF8(SlavePath);
            strings.Add(slavePath);

            CheckResult(SpawnAttributesInit(attributes), "posix_spawnattr_init");
            attributesReady = true;
            CheckResult(SignalEmptySet(signals), "sigemptyset");
            CheckResult(SpawnAttributesSetSignalMask(attributes, signals), "posix_spawnattr_setsigmask");
            CheckResult(SignalFillSet(signals), "sigfillset");
            CheckResult(SpawnAttributesSetSignalDefaults(attributes, signals), "posix_spawnattr_setsigdefault");
            CheckResult(SpawnAttributesSetFlags(attributes, SpawnSetSession | SpawnSetSignalDefaults | SpawnSetSignalMask), "posix_spawnattr_setflags");

            CheckResult(FileActionsInit(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            CheckResult(FileActionsAddOpen(actions, 0, (byte*)slavePath, ReadWrite, 0), "posix_spawn_file_actions_addopen");
            CheckResult(FileActionsAddDup2(actions, 0, 1), "posix_spawn_file_actions_adddup2");
            CheckResult(FileActionsAddDup2(actions, 0, 2), "posix_spawn_file_actions_adddup2");

            int pid;
            fixed (nint* argvPointer = argv, envpPointer = envp)
            {
                var error = SpawnP(&pid, (byte*)path, actions, attributes, argvPointer, envpPointer);
                if (error != 0)
                    throw new Win32Exception(error, $"posix_spawnp {file}");
            }
            return pid;
        }
        finally
        {
            if (actionsReady)
                _ = FileActionsDestroy(actions);
            if (attributesReady)
                _ = SpawnAttributesDestroy(attributes);
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(signals);
            foreach (var pointer in strings)
                Marshal.FreeCoTaskMem(pointer);
        }
    }

    /// <summary>Blocks until the spawned child exits and reaps it: its exit code, or 128 + signal when killed.</summary>
    public static int WaitForExit(int pid)
    {
        int status;
        while (WaitPid(pid, &status, 0) < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != Interrupted)
                throw new Win32Exception(error, $"waitpid {pid}");
        }
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>Sends SIGKILL to the spawned child; no error if it is gone already.</summary>
    public static void Kill(int pid) => _ = SendSignal(pid, 9);

    public void Dispose() => master.Dispose();

    private static nint[] Terminated(IReadOnlyList<string> values, List<nint> strings)
    {
        var array = new nint[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            strings.Add(array[i]);
        }
        return array;
    }

    private static void Check(int result, string call)
    {
        if (result < 0)
            throw new Win32Exception(Marshal.GetLastPInvokeError(), call);
    }

    /// <summary>posix_spawn* functions return the error number instead of setting errno.</summary>
    private static void CheckResult(int result, string call)
    {
        if (result != 0)
            throw new Win32Exception(result, call);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort PixelWidth;
        public ushort PixelHeight;
    }

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenPt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int GrantPt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int UnlockPt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r")]
    private static partial int PtsNameR(int fd, byte* buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlWindowSize(int fd, nuint request, WindowSize* size);

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    private static partial int SpawnP(int* pid, byte* file, void* fileActions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int SpawnAttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int SpawnAttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SpawnAttributesSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SpawnAttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SpawnAttributesSetSignalDefaults(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int FileActionsAddOpen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SignalEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SignalFillSet(void* set);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
