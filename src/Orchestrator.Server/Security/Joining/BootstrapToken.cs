using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orchestrator.Server.Security.Joining;

/// <summary>
/// A bootstrap token as Kubernetes defines it: "[a-z0-9]{6}.[a-z0-9]{16}", stored as the Secret
/// kube-system/bootstrap-token-ID of type bootstrap.kubernetes.io/token. It authenticates as
/// system:bootstrap:ID in group system:bootstrappers until its expiration.
/// </summary>
public sealed partial record BootstrapToken(string Id, string Secret)
{
    public const string SecretType = "bootstrap.kubernetes.io/token";
    public const string SecretNamespace = "kube-system";
    public const string SecretPrefix = "bootstrap-token-";
    public const string Group = "system:bootstrappers";
    public const string UserPrefix = "system:bootstrap:";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public string SecretName => SecretPrefix + Id;

    public string UserName => UserPrefix + Id;

    public override string ToString() => $"{Id}.{Secret}";

    public static BootstrapToken Generate() => new(RandomText(6), RandomText(16));

    public static BootstrapToken? Parse(string text)
    {
        var match = Format().Match(text);
        return match.Success ? new BootstrapToken(match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    /// <summary>The Secret that makes this token valid for authentication until <paramref name="expires"/>.</summary>
    public JsonObject ToSecret(DateTimeOffset expires, string description) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = SecretName, ["namespace"] = SecretNamespace },
        ["type"] = SecretType,
        ["stringData"] = new JsonObject
        {
            ["description"] = description,
            ["token-id"] = Id,
            ["token-secret"] = Secret,
            ["expiration"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["usage-bootstrap-authentication"] = "true",
        },
    };

    /// <summary>A 256-bit key only holders of the token can derive: it seals what the token unlocks.</summary>
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(Secret), 32, Encoding.UTF8.GetBytes(Id), Encoding.UTF8.GetBytes(purpose));

    private static string RandomText(int length) =>
        string.Create(length, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
                chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        });

    [GeneratedRegex("^([a-z0-9]{6})\\.([a-z0-9]{16})$")]
    private static partial Regex Format();
}
