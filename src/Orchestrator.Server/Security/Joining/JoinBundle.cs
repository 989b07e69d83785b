using System.Security.Cryptography;
using System.Text.Json;

namespace Orchestrator.Server.Security.Joining;

/// <summary>
/// What a machine needs to join, sealed with a key derived from its bootstrap token (AES-GCM), and stored in the
/// Secret kube-system/orchestrator-join-ID that only that token may read, as kubeadm's uploaded certificates: a
/// replica's bundle holds the cluster's PKI directory, a node's its kubeconfig with its own client certificate.
/// </summary>
public sealed record JoinBundle(string Kind, IReadOnlyDictionary<string, string> Files)
{
    public const string ReplicaKind = "replica";
    public const string NodeKind = "node";
    public const string SecretPrefix = "orchestrator-join-";
    public const string DataKey = "bundle";

    private const string Purpose = "orchestrator join bundle";

    public static string SecretName(BootstrapToken token) => SecretPrefix + token.Id;

    public byte[] Seal(BootstrapToken token)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["kind"] = Kind, ["files"] = Files });
        var sealedBytes = new byte[12 + 16 + plain.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(token.DeriveKey(Purpose), 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return sealedBytes;
    }

    /// <summary>The bundle, or an exception when the bytes were not sealed with this token (tampered or another token's).</summary>
    public static JoinBundle Open(byte[] sealedBytes, BootstrapToken token)
    {
        if (sealedBytes.Length < 28)
            throw new InvalidDataException("the join bundle is truncated");
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(token.DeriveKey(Purpose), 16);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidDataException("the join bundle was not sealed with this token");
        }
        using var document = JsonDocument.Parse(plain);
        var kind = document.RootElement.GetProperty("kind").GetString() ?? "";
        var files = document.RootElement.GetProperty("files").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        return new JoinBundle(kind, files);
    }
}
