using System.Security.Cryptography;

namespace Orchestrator.Node.Images;

/// <summary>Copies a stream while hashing it, so blobs are verified in the same pass that writes them to disk.</summary>
internal static class DigestingCopy
{
    private const int BufferSize = 81920;

    /// <returns>The digest and length of what was copied.</returns>
    public static async Task<(Digest Digest, long Size)> CopyAsync(Stream source, Stream destination, long? maxSize, CancellationToken token)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
        {
            size += read;
            // A registry sending more than the descriptor's size is wrong already; stop before filling the disk.
            if (maxSize is { } max && size > max)
                throw new InvalidDataException($"content is larger than the expected {max} bytes");
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
        }
        return (Digest.FromHash(hash.GetHashAndReset()), size);
    }
}
