using System.Text.Json;

namespace Orchestrator.Node.Images;

/// <summary>
/// Pulled references (normalized, e.g. "127.0.0.1:5000/busybox:latest") to the digest of the platform
/// manifest they resolved to, kept in references.json and rewritten atomically on every change.
/// </summary>
internal sealed class ReferenceIndex
{
    private readonly string path;
    private readonly SemaphoreSlim gate = new(1, 1);
    private Dictionary<string, string> entries;

    public ReferenceIndex(string root)
    {
        path = Path.Combine(root, "references.json");
        entries = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(path)) ?? new(StringComparer.Ordinal)
            : new(StringComparer.Ordinal);
    }

    public Digest? Find(ImageReference reference)
    {
        lock (entries)
            return entries.TryGetValue(reference.ToString(), out var text) && Digest.TryParse(text, out var digest) ? digest : null;
    }

    public IReadOnlyDictionary<string, string> Snapshot()
    {
        lock (entries)
            return new Dictionary<string, string>(entries, StringComparer.Ordinal);
    }

    public async Task SetAsync(ImageReference reference, Digest manifest, CancellationToken token)
    {
        await gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            byte[] json;
            lock (entries)
            {
                entries[reference.ToString()] = manifest.ToString();
                json = JsonSerializer.SerializeToUtf8Bytes(entries, new JsonSerializerOptions { WriteIndented = true });
            }
            var temporary = path + ".tmp";
            await File.WriteAllBytesAsync(temporary, json, token).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            gate.Release();
        }
    }
}
