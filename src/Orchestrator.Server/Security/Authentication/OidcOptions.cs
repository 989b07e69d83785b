namespace Orchestrator.Server.Security.Authentication;

/// <summary>kube-apiserver's --oidc-* flags: which issuer's ID tokens are accepted and how their claims name users.</summary>
public sealed record OidcOptions
{
    /// <summary>Compared as text with each token's "iss", as kube does.</summary>
    public required string IssuerUrl { get; init; }

    /// <summary>The audience every token must carry.</summary>
    public required string ClientId { get; init; }

    public string UsernameClaim { get; init; } = "sub";

    /// <summary>
    /// Put before every user name. Null: kube's default, "issuer#" unless the claim is email; "-" for no prefix.
    /// </summary>
    public string? UsernamePrefix { get; init; }

    public string? GroupsClaim { get; init; }

    public string GroupsPrefix { get; init; } = "";

    /// <summary>PEM bundle the issuer's TLS certificate must chain to; null for the system's roots.</summary>
    public string? CaFile { get; init; }

    public string EffectiveUsernamePrefix => UsernamePrefix switch
    {
        "-" => "",
        null when UsernameClaim == "email" => "",
        null => $"{IssuerUrl}#",
        var prefix => prefix,
    };
}
