using System.Security.Cryptography;

namespace Orchestrator.Node.Images;

/// <summary>A content digest "sha256:&lt;64 hex&gt;". Only sha256 is supported: it is what registries and builders produce.</summary>
public readonly record struct Digest
{
    public const string Sha256 = "sha256";

    private Digest(string hex) => Hex = hex;

    public string Algorithm => Sha256;

    /// <summary>Lowercase hex of the hash; the file name of the blob in a content store.</summary>
    public string Hex { get; }

    public override string ToString() => $"{Sha256}:{Hex}";

    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"invalid or unsupported digest \"{text}\" (expected sha256:<64 hex digits>)");

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null || !text.StartsWith(Sha256 + ":", StringComparison.Ordinal))
            return false;
        var hex = text[(Sha256.Length + 1)..];
        if (hex.Length != 64 || !hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            return false;
        digest = new Digest(hex);
        return true;
    }

    public static Digest Compute(ReadOnlySpan<byte> content) => new(Convert.ToHexStringLower(SHA256.HashData(content)));

    internal static Digest FromHash(byte[] hash) => new(Convert.ToHexStringLower(hash));
}
