namespace Orchestrator.Node.Images;

/// <summary>
/// Blobs addressed by digest under blobs/sha256/&lt;hex&gt;, as in an OCI image layout. Writes go to
/// ingest/ first and are renamed into place only when verified, so a blob present is a blob complete.
/// </summary>
internal sealed class ContentStore
{
    private readonly string blobs;
    private readonly string ingest;

    public ContentStore(string root)
    {
        blobs = Path.Combine(root, "blobs", Digest.Sha256);
        ingest = Path.Combine(root, "ingest");
        Directory.CreateDirectory(blobs);
        Directory.CreateDirectory(ingest);
    }

    public string PathOf(Digest digest) => Path.Combine(blobs, digest.Hex);

    public bool Contains(Digest digest) => File.Exists(PathOf(digest));

    public Task<byte[]> ReadAllAsync(Digest digest, CancellationToken token) => File.ReadAllBytesAsync(PathOf(digest), token);

    public Stream OpenRead(Digest digest) =>
        new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    /// <summary>Writes small content known in full (manifests); the digest is computed here, not trusted.</summary>
    public async Task<Digest> PutAsync(ReadOnlyMemory<byte> content, CancellationToken token)
    {
        var digest = Digest.Compute(content.Span);
        if (!Contains(digest))
            await WriteAsync(digest, (stream, t) => stream.WriteAsync(content, t).AsTask(), token).ConfigureAwait(false);
        return digest;
    }

    /// <summary>Copies <paramref name="source"/> into the store, rejecting it unless it hashes to <paramref name="expected"/>.</summary>
    public Task IngestVerifiedAsync(Digest expected, long? size, Stream source, CancellationToken token) =>
        WriteAsync(expected, async (stream, t) =>
        {
            var (actual, length) = await DigestingCopy.CopyAsync(source, stream, size, t).ConfigureAwait(false);
            if (actual != expected || (size is { } s && s != length))
                throw new InvalidDataException($"content digest mismatch: expected {expected}, got {actual} ({length} bytes)");
        }, token);

    /// <summary>
    /// Runs <paramref name="write"/> into a private temporary file and commits it under <paramref name="digest"/>;
    /// the writer is responsible for verifying what it wrote. Concurrent writers of one digest are harmless: the rename is atomic.
    /// </summary>
    public async Task WriteAsync(Digest digest, Func<Stream, CancellationToken, Task> write, CancellationToken token)
    {
        var temporary = Path.Combine(ingest, $"{digest.Hex}-{Guid.NewGuid():N}");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, token).ConfigureAwait(false);
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
            File.Move(temporary, PathOf(digest), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
