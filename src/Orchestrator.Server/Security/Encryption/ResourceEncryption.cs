using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Server.Security.Encryption;

/// <summary>
/// How the values of one set of resources are stored: sealed with the first key when <see cref="Writer"/> is set,
/// plain when the first provider is identity. Reading tries every listed key by its prefix, so a new key put first
/// and the old one kept second is a rotation: old values still read, every write seals with the new key.
/// Plain values always read (data written before encryption was turned on).
/// </summary>
internal sealed class ResourceEncryption(AesGcmKey? writer, IReadOnlyList<AesGcmKey> keys)
{
    private static readonly byte[] EncryptedMarker = "k8s:enc:"u8.ToArray();

    public AesGcmKey? Writer { get; } = writer;

    public IReadOnlyList<AesGcmKey> Keys { get; } = keys;

    /// <summary>"k8s:enc:PROVIDER:VERSION:KEYNAME:", the part of a sealed value that names its key.</summary>
    private static string Header(byte[] stored)
    {
        var text = Encoding.ASCII.GetString(stored, 0, Math.Min(stored.Length, 128));
        var at = -1;
        for (var colons = 0; colons < 5 && (at = text.IndexOf(':', at + 1)) >= 0; colons++)
        {
        }
        return at < 0 ? "an unknown format" : text[..(at + 1)];
    }

    public byte[] Seal(string storageKey, byte[] plaintext) => Writer is null ? plaintext : Writer.Encrypt(storageKey, plaintext);

    public byte[] Open(string storageKey, byte[] stored)
    {
        if (!stored.AsSpan().StartsWith(EncryptedMarker))
            return stored;
        foreach (var key in Keys)
        {
            if (stored.AsSpan().StartsWith(key.Prefix))
                return key.Decrypt(storageKey, stored);
        }
        throw new CryptographicException($"no key in the encryption configuration opens {storageKey}, stored as {Header(stored)}");
    }
}
