using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Node.Images;

/// <summary>
/// Applies layer tars onto a root filesystem, lowest first (OCI image-spec layer.md "Applying Changesets"):
/// ".wh.NAME" deletes NAME from lower layers, ".wh..wh..opq" empties its directory of lower-layer
/// entries, and whiteout files themselves never appear. Regular files, directories, symlinks and hard
/// links are created with the tar's mode and (when we are root) owner; device nodes and fifos are skipped
/// because containers get /dev from the runtime.
/// </summary>
internal sealed class LayerUnpacker(ILogger logger)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";

    public async Task ApplyAsync(string rootfs, Stream layer, string mediaType, CancellationToken token)
    {
        if (mediaType == MediaTypes.OciLayerZstd || mediaType.EndsWith("+zstd", StringComparison.Ordinal))
            throw new NotSupportedException($"layer media type {mediaType} (zstd) is not supported");
        await using var tar = MediaTypes.IsGzipLayer(mediaType) ? new GZipStream(layer, CompressionMode.Decompress, leaveOpen: true) : layer;
        await ApplyTarAsync(rootfs, tar, token).ConfigureAwait(false);
    }

    public async Task ApplyTarAsync(string rootfs, Stream tar, CancellationToken token)
    {
        // Whiteouts only hide what lower layers made, not what this layer adds, whatever the tar order.
        var createdHere = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, token).ConfigureAwait(false) is { } entry)
        {
            var relative = RootPath.Normalize(entry.Name);
            if (relative.Length == 0)
                continue; // the root directory itself: keep ours.
            var name = Path.GetFileName(relative);
            var parent = Path.GetDirectoryName(relative) ?? "";
            if (name == OpaqueWhiteout)
            {
                EmptyDirectory(rootfs, parent, createdHere);
                continue;
            }
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var hidden = Combine(parent, name[WhiteoutPrefix.Length..]);
                if (!createdHere.Contains(hidden))
                    Remove(RootPath.Resolve(rootfs, hidden));
                continue;
            }
            if (await ApplyEntryAsync(rootfs, relative, entry, token).ConfigureAwait(false))
                createdHere.Add(relative);
        }
    }

    private async Task<bool> ApplyEntryAsync(string rootfs, string relative, TarEntry entry, CancellationToken token)
    {
        var path = RootPath.Resolve(rootfs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!IsRealDirectory(path))
                {
                    Remove(path);
                    Directory.CreateDirectory(path);
                }
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Remove(path);
                await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    if (entry.DataStream is { } data)
                        await data.CopyToAsync(file, token).ConfigureAwait(false);
                }
                break;
            case TarEntryType.SymbolicLink:
                Remove(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                Own(path, entry);
                return true; // a link's own mode is meaningless on Linux, and SetUnixFileMode would follow it.
            case TarEntryType.HardLink:
                // Hard link targets are names inside the same root, not followed through a final symlink (tar semantics).
                var target = RootPath.Resolve(rootfs, RootPath.Normalize(entry.LinkName));
                Remove(path);
                UnixNative.HardLink(target, path);
                return true; // shares the target's inode, mode and owner.
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                logger.LogDebug("Skipping {Type} {Name}: containers get /dev from the runtime", entry.EntryType, relative);
                return false;
            default:
                logger.LogDebug("Skipping tar entry {Name} of type {Type}", relative, entry.EntryType);
                return false;
        }
        // chown before chmod: chown clears set-user-ID and set-group-ID bits.
        Own(path, entry);
        UnixNative.SetMode(path, entry.Mode);
        if (entry.EntryType != TarEntryType.Directory)
            File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
        return true;
    }

    private static void Own(string path, TarEntry entry)
    {
        // Unprivileged (tests on a laptop) we keep our own uid; as root the image's owners are applied.
        if (Environment.IsPrivilegedProcess)
            UnixNative.LChown(path, entry.Uid, entry.Gid);
    }

    private static void EmptyDirectory(string rootfs, string relative, HashSet<string> createdHere)
    {
        var directory = RootPath.Resolve(rootfs, relative, followFinal: true);
        if (!IsRealDirectory(directory))
            return;
        foreach (var child in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (!createdHere.Contains(Combine(relative, child.Name)))
                Remove(child.FullName);
        }
    }

    private static bool IsRealDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        return info.Exists && info.LinkTarget is null;
    }

    /// <summary>Removes whatever is at <paramref name="path"/> without following a symlink there.</summary>
    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || (info.Exists))
            File.Delete(path);
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }

    private static string Combine(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;
}
