using System.Formats.Tar;

namespace Orchestrator.Node.Images;

/// <summary>
/// Writes one layer's tar entries, owned by root, with a fixed modification time so the same inputs
/// always give the same digests. Ustar format: no access/change times that would vary between builds.
/// </summary>
public sealed class LayerWriter
{
    private readonly TarWriter writer;
    private readonly DateTimeOffset time;

    internal LayerWriter(TarWriter writer, DateTimeOffset time)
    {
        this.writer = writer;
        this.time = time;
    }

    public const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101; // 0755
    public const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;      // 0644
    public const UnixFileMode ExecutableMode = (UnixFileMode)0b111_101_101; // 0755

    public LayerWriter Directory(string path, UnixFileMode mode = DirectoryMode) =>
        Write(Entry(TarEntryType.Directory, path.TrimEnd('/') + "/", mode));

    public LayerWriter File(string path, ReadOnlySpan<byte> data, UnixFileMode mode = FileMode)
    {
        var entry = Entry(TarEntryType.RegularFile, path, mode);
        entry.DataStream = new MemoryStream(data.ToArray());
        return Write(entry);
    }

    public LayerWriter File(string path, string text, UnixFileMode mode = FileMode) => File(path, System.Text.Encoding.UTF8.GetBytes(text), mode);

    public LayerWriter Symlink(string path, string target)
    {
        var entry = Entry(TarEntryType.SymbolicLink, path, (UnixFileMode)0b111_111_111);
        entry.LinkName = target;
        return Write(entry);
    }

    public LayerWriter HardLink(string path, string target)
    {
        var entry = Entry(TarEntryType.HardLink, path, FileMode);
        entry.LinkName = target;
        return Write(entry);
    }

    /// <summary>Deletes <paramref name="path"/> from lower layers (an empty ".wh.NAME" file).</summary>
    public LayerWriter Whiteout(string path)
    {
        var directory = Path.GetDirectoryName(path.TrimEnd('/'));
        var name = ".wh." + Path.GetFileName(path.TrimEnd('/'));
        return File(string.IsNullOrEmpty(directory) ? name : directory + "/" + name, ReadOnlySpan<byte>.Empty);
    }

    /// <summary>Hides every lower-layer entry of <paramref name="directory"/> (".wh..wh..opq").</summary>
    public LayerWriter OpaqueWhiteout(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", ReadOnlySpan<byte>.Empty);

    private UstarTarEntry Entry(TarEntryType type, string path, UnixFileMode mode) => new(type, path.TrimStart('/'))
    {
        Mode = mode,
        Uid = 0,
        Gid = 0,
        UserName = "root",
        GroupName = "root",
        ModificationTime = time,
    };

    private LayerWriter Write(TarEntry entry)
    {
        writer.WriteEntry(entry);
        return this;
    }
}
