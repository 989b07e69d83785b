namespace Orchestrator.Node.Runtime;

/// <summary>Copies a root filesystem tree keeping symlinks as symlinks and Unix permission bits.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class TreeCopy
{
    public static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
                File.CreateSymbolicLink(target, link);
            else if (entry is DirectoryInfo)
                Copy(entry.FullName, target);
            else if (entry is FileInfo file && (file.Attributes & FileAttributes.Device) == 0)
            {
                file.CopyTo(target);
                File.SetUnixFileMode(target, file.UnixFileMode);
            }
            // Device nodes, fifos and sockets are skipped: runc populates /dev itself.
        }
    }
}
