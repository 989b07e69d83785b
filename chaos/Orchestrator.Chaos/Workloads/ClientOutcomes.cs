using System.Net;
using System.Net.Sockets;
using Orchestrator.Chaos.History;

namespace Orchestrator.Chaos.Workloads;

/// <summary>
/// How an HTTP answer or error maps to Jepsen's outcomes. A write is Fail only when it certainly did not happen
/// (refused before it was sent, a 409 conflict, a 429 refusal at admission); a timeout, a reset, a 5xx or a 503
/// "no leader" leave it Info, since the proposal may still commit.
/// </summary>
internal static class ClientOutcomes
{
    public static Outcome OfStatus(HttpStatusCode code) => (int)code switch
    {
        >= 200 and < 300 => Outcome.Ok,
        409 or 429 or 422 or 400 or 404 or 403 or 401 => Outcome.Fail,
        _ => Outcome.Info,
    };

    public static Outcome OfException(Exception e) => e switch
    {
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => Outcome.Fail,
        _ => Outcome.Info,
    };
}
