using System.Net.Sockets;

namespace Orchestrator.Client.Http;

/// <summary>
/// Sends each request to the server that last answered; when it cannot be reached (refused, unreachable, connect
/// timed out: nothing was sent, so any request may be tried again), the next one, in turn, until one connects.
/// </summary>
internal sealed class FailoverHandler(IReadOnlyList<Uri> servers) : DelegatingHandler
{
    private int current;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri!;
        var start = Volatile.Read(ref current);
        for (var attempt = 0; ; attempt++)
        {
            var index = (start + attempt) % servers.Count;
            request.RequestUri = Retarget(original, servers[index]);
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Interlocked.CompareExchange(ref current, index, start);
                return response;
            }
            catch (HttpRequestException e) when (attempt + 1 < servers.Count && NotConnected(e, cancellationToken))
            {
                // The next replica.
            }
        }
    }

    private static bool NotConnected(HttpRequestException e, CancellationToken token) =>
        !token.IsCancellationRequested
        && (e.HttpRequestError == HttpRequestError.ConnectionError
            || e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TimedOut }
            || e.InnerException is TimeoutException or OperationCanceledException);

    private static Uri Retarget(Uri request, Uri server) =>
        new UriBuilder(request) { Scheme = server.Scheme, Host = server.Host, Port = server.Port }.Uri;
}
