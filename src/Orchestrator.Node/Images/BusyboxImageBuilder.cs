namespace Orchestrator.Node.Images;

/// <summary>
/// The project's own busybox image, made from a static busybox binary (Debian's busybox-static,
/// /bin/busybox): one layer with /bin/busybox, applet symlinks beside it, the directories a container
/// expects and minimal /etc/passwd and /etc/group. Tests and the local cluster use it instead of
/// fetching anything from the internet.
/// </summary>
public static class BusyboxImageBuilder
{
    public const string DefaultBinary = "/bin/busybox";

    /// <summary>Applets linked into /bin; busybox dispatches on argv[0], so each is a symlink to it.</summary>
    public static readonly IReadOnlyList<string> Applets =
    [
        "sh", "ash", "echo", "sleep", "cat", "ls", "ps", "top", "wget", "nc", "env", "true", "false", "mkdir", "rm", "rmdir",
        "cp", "mv", "ln", "id", "hostname", "date", "yes", "head", "tail", "grep", "sed", "awk", "kill", "touch", "pwd",
        "whoami", "uname", "dd", "printf", "test", "[", "expr", "seq", "wc", "sort", "tee", "chmod", "chown", "df", "du",
        "free", "uptime", "timeout", "vi", "find", "xargs", "sync", "stat", "tr", "cut", "basename", "dirname", "mount",
        "umount", "nslookup", "ping", "httpd", "ip", "ifconfig", "hexdump", "md5sum", "sha256sum", "gzip", "gunzip", "tar",
        "usleep", "watch", "nproc", "readlink", "realpath", "mktemp", "which", "less", "more", "diff", "tac", "uniq",
    ];

    public static BuiltImage Build(string busyboxPath = DefaultBinary)
    {
        if (!File.Exists(busyboxPath))
            throw new FileNotFoundException($"{busyboxPath} not found: install Debian's busybox-static (apt-get install busybox-static)", busyboxPath);
        var busybox = File.ReadAllBytes(busyboxPath);
        return new OciImageBuilder()
            .WithConfig(new ImageConfig
            {
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                Cmd = ["sh"],
            })
            .AddLayer(layer =>
            {
                foreach (var directory in new[] { "bin", "dev", "etc", "proc", "sys", "root", "home", "var", "usr", "usr/bin", "usr/sbin", "sbin" })
                    layer.Directory(directory);
                layer.Directory("tmp", (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit); // 1777, like every /tmp
                layer.File("bin/busybox", busybox, LayerWriter.ExecutableMode);
                foreach (var applet in Applets)
                    layer.Symlink($"bin/{applet}", "busybox");
                layer.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
                layer.File("etc/group", "root:x:0:\nnobody:x:65534:\n");
                layer.File("etc/hosts", "127.0.0.1\tlocalhost\n");
            }, "busybox-static from the node's /bin/busybox")
            .Build();
    }
}
