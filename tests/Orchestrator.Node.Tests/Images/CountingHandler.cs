using System.Collections.Concurrent;

namespace Orchestrator.Node.Tests.Images;

/// <summary>Records every request a client sends, to prove what did (or did not) go over the network.</summary>
public sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<string> Requests { get; } = new();

    public int Count(string contains) => Requests.Count(r => r.Contains(contains, StringComparison.Ordinal));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue($"{request.Method} {request.RequestUri}");
        return base.SendAsync(request, cancellationToken);
    }
}
