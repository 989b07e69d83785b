using System.Collections.Concurrent;
using Grpc.Net.Client;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Storage.Replication;

/// <summary>One gRPC channel per peer address, reused across forwarded calls, over mutual TLS.</summary>
internal sealed class LeaderClients(PeerTls tls) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> channels = new(StringComparer.Ordinal);

    public Store.StoreClient For(string address) =>
        new(channels.GetOrAdd(address, a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                SslOptions = tls.ClientOptions(),
            },
        })));

    public void Dispose()
    {
        foreach (var channel in channels.Values)
            channel.Dispose();
        channels.Clear();
    }
}
