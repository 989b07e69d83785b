using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Server.Resources;
using Orchestrator.Server.Security.Joining;

namespace Orchestrator.Server.Security.Authentication;

/// <summary>
/// Bootstrap tokens, as kube-apiserver's --enable-bootstrap-token-auth: "ID.SECRET" is valid while the Secret
/// kube-system/bootstrap-token-ID of type bootstrap.kubernetes.io/token holds that secret, allows authentication and
/// has not expired. The user is system:bootstrap:ID, in system:bootstrappers and the Secret's auth-extra-groups.
/// </summary>
public sealed class BootstrapTokenAuthenticator(ResourceStores stores, TimeProvider clock) : ITokenAuthenticator
{
    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (BootstrapToken.Parse(token) is not { } parsed)
            return AuthenticationResult.NotMine;
        var store = stores.For("", "secrets");
        // A token just made through another replica may not be here yet: read once more after a barrier.
        var secret = await store.FindAsync(BootstrapToken.SecretNamespace, parsed.SecretName, local: true, cancellationToken)
            ?? await store.FindAsync(BootstrapToken.SecretNamespace, parsed.SecretName, local: false, cancellationToken);
        if (secret is null || secret.IsDeleting() || secret["type"]?.GetValue<string>() != BootstrapToken.SecretType)
            return AuthenticationResult.Failure($"bootstrap token {parsed.Id}: no such token");
        var data = secret["data"] as JsonObject;
        if (Field(data, "token-id") != parsed.Id || !FixedTimeEquals(Field(data, "token-secret"), parsed.Secret))
            return AuthenticationResult.Failure($"bootstrap token {parsed.Id}: wrong secret");
        if (Field(data, "usage-bootstrap-authentication") != "true")
            return AuthenticationResult.Failure($"bootstrap token {parsed.Id}: not for authentication");
        var expiration = Field(data, "expiration");
        if (expiration.Length > 0 && (!DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
                || expires <= clock.GetUtcNow()))
            return AuthenticationResult.Failure($"bootstrap token {parsed.Id}: expired");
        var groups = new List<string> { BootstrapToken.Group };
        groups.AddRange(Field(data, "auth-extra-groups").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(g => g.StartsWith(BootstrapToken.Group + ":", StringComparison.Ordinal)));
        return AuthenticationResult.Success(new UserInfo(parsed.UserName, groups));
    }

    private static string Field(JsonObject? data, string key)
    {
        if (data?[key] is not JsonValue value || !value.TryGetValue<string>(out var base64))
            return "";
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
