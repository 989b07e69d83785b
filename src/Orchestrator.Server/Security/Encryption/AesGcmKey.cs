using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Server.Security.Encryption;

/// <summary>
/// One named AES-GCM key, in kube-apiserver's stored format: "k8s:enc:aesgcm:v1:NAME:" + 12-byte random nonce +
/// ciphertext + 16-byte tag. The storage key is the associated data, so a value copied under another key fails to
/// decrypt instead of being served as that object.
/// </summary>
internal sealed class AesGcmKey(string name, byte[] secret) : IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly AesGcm aes = new(secret, TagSize);

    public string Name { get; } = name;

    public byte[] Prefix { get; } = Encoding.ASCII.GetBytes($"k8s:enc:aesgcm:v1:{name}:");

    public byte[] Encrypt(string storageKey, ReadOnlySpan<byte> plaintext)
    {
        var sealedValue = new byte[Prefix.Length + NonceSize + plaintext.Length + TagSize];
        Prefix.CopyTo(sealedValue, 0);
        var nonce = sealedValue.AsSpan(Prefix.Length, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(Prefix.Length + NonceSize, plaintext.Length),
            sealedValue.AsSpan(sealedValue.Length - TagSize), Encoding.UTF8.GetBytes(storageKey));
        return sealedValue;
    }

    /// <summary>The plaintext of a value that starts with <see cref="Prefix"/>; throws when it was altered or moved.</summary>
    public byte[] Decrypt(string storageKey, ReadOnlySpan<byte> stored)
    {
        var body = stored[Prefix.Length..];
        if (body.Length < NonceSize + TagSize)
            throw new CryptographicException("the encrypted value is truncated");
        var plaintext = new byte[body.Length - NonceSize - TagSize];
        aes.Decrypt(body[..NonceSize], body[NonceSize..^TagSize], body[^TagSize..], plaintext, Encoding.UTF8.GetBytes(storageKey));
        return plaintext;
    }

    public void Dispose() => aes.Dispose();
}
