using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// etcd's side of the comparison, over gRPC as etcd's own benchmark tool does: puts of a 1 KiB value under distinct
/// keys, client i on member i mod 3, each client with its own channel (one HTTP/2 connection), like the API clients.
/// </summary>
internal static class EtcdLoad
{
    /// <summary>1 KiB of fixed pseudo-random bytes (not compressible, the same every run).</summary>
    public static readonly ByteString Value = ByteString.CopyFrom(RandomBytes(1024));

    public static KV.KVClient NewClient(EtcdMember member, out GrpcChannel channel)
    {
        channel = GrpcChannel.ForAddress(member.ClientUrl);
        return new KV.KVClient(channel);
    }

    public static Task PutAsync(KV.KVClient client, string key, TimeSpan timeout, CancellationToken token) =>
        client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = Value },
            deadline: DateTime.UtcNow + timeout, cancellationToken: token).ResponseAsync;

    public static async Task<LoadResult> PutsAsync(EtcdCluster cluster, int clients, TimeSpan duration, CancellationToken token)
    {
        var channels = new GrpcChannel[clients];
        var kv = Enumerable.Range(0, clients).Select(c => NewClient(cluster.Members[c % cluster.Members.Count], out channels[c])).ToArray();
        try
        {
            return await ClosedLoop.RunAsync(clients, duration,
                warmUp: (c, t) => kv[c].RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("/bench/warmup"), Serializable = true },
                    cancellationToken: t).ResponseAsync,
                operation: (c, n, t) => PutAsync(kv[c], $"/bench/put/c{clients}/w{c}/k{n}", TimeSpan.FromSeconds(60), t),
                token);
        }
        finally
        {
            foreach (var channel in channels)
                channel.Dispose();
        }
    }

    /// <summary>Puts on a fixed schedule (<see cref="PacedLoad"/>) through 64 channels spread over the members.</summary>
    public static async Task<LoadResult> PacedPutsAsync(EtcdCluster cluster, double perSecond, TimeSpan duration, CancellationToken token)
    {
        const int pool = 64;
        var channels = new GrpcChannel[pool];
        var kv = Enumerable.Range(0, pool).Select(c => NewClient(cluster.Members[c % cluster.Members.Count], out channels[c])).ToArray();
        try
        {
            await Task.WhenAll(kv.Select(k => k.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("/bench/warmup"), Serializable = true },
                cancellationToken: token).ResponseAsync));
            return await PacedLoad.RunAsync(perSecond, duration, maxInFlight: 1024,
                (n, t) => PutAsync(kv[(int)(n % pool)], $"/bench/paced/{perSecond:F0}/k{n}", TimeSpan.FromSeconds(60), t), token);
        }
        finally
        {
            foreach (var channel in channels)
                channel.Dispose();
        }
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(1).NextBytes(bytes);
        return bytes;
    }
}
