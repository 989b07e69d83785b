using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Orchestrator.Server.Http.Spdy;

/// <summary>
/// The HTTP/1.1 upgrade to SPDY/3.1 that kube's streaming clients make (POST with Connection: Upgrade, Upgrade:
/// SPDY/3.1 and the stream protocols they speak in X-Stream-Protocol-Version, most preferred first).
/// </summary>
internal static class SpdyUpgrade
{
    public const string Protocol = "SPDY/3.1";
    public const string StreamProtocolHeader = "X-Stream-Protocol-Version";

    public static bool IsRequested(HttpContext context) =>
        !context.WebSockets.IsWebSocketRequest
        && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && context.Request.Headers.Upgrade.ToString().Contains(Protocol, StringComparison.OrdinalIgnoreCase);

    /// <summary>The stream protocols the client offers, in its order of preference.</summary>
    public static string[] ClientProtocols(HttpContext context) =>
        [.. context.Request.Headers[StreamProtocolHeader].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    /// <summary>Answers 101 with the chosen stream protocol; the connection's bytes from then on.</summary>
    public static Task<Stream> AcceptAsync(HttpContext context, string? streamProtocol)
    {
        if (streamProtocol is not null)
            context.Response.Headers[StreamProtocolHeader] = streamProtocol;
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = Protocol;
        return context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync();
    }
}
