using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Orchestrator.Server.Security;
using Orchestrator.Storage.Replication.Grpc;
using Orchestrator.Testing;

namespace Orchestrator.Server.Tests.Security;

/// <summary>
/// The links between replicas (Raft and the internal gRPC port) speak only mutual TLS with a replica certificate of
/// the cluster CA: someone who reaches those ports without one gets no session, whatever they send. A real replica
/// certificate opening a session is the control that shows the refusals are the certificate's doing.
/// </summary>
public sealed class PeerTransportTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ReplicaProcess Replica => fixture.Cluster.Replicas[0];

    public static TheoryData<string> Ports => ["raft", "grpc"];

    [Theory]
    [MemberData(nameof(Ports))]
    public async Task PlainBytesGetNothingBack(string port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Endpoint(port));
        var stream = tcp.GetStream();
        // What a Raft or HTTP/2 client without TLS would open with.
        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray().Concat(new byte[64]).ToArray());
        var received = await ReadUntilClosedAsync(stream, TimeSpan.FromSeconds(10));
        // At most a TLS alert record (content type 21) before the close; never a byte of Raft or HTTP.
        Assert.True(received.Length == 0 || (received[0] == 21 && received.Length <= 7), $"{port} answered {received.Length} bytes: {Convert.ToHexString(received)}");
    }

    [Theory]
    [MemberData(nameof(Ports))]
    public async Task OnlyAReplicaCertificateOfTheClusterCaOpensASession(string port)
    {
        using var pki = ClusterPki.LoadOrCreate(fixture.Cluster.PkiDirectory);
        var foreignDirectory = Path.Combine(fixture.Cluster.Root, "foreign-pki");
        using var foreign = ClusterPki.LoadOrCreate(foreignDirectory);

        Assert.False(await SessionOpensAsync(Endpoint(port), certificate: null), "no client certificate");
        using (var foreignPeer = foreign.IssuePeerCertificate("intruder", [IPAddress.Loopback]))
            Assert.False(await SessionOpensAsync(Endpoint(port), foreignPeer), "a replica certificate of another CA");
        using (var admin = pki.IssueClientCertificate("admin", ["system:masters"]))
            Assert.False(await SessionOpensAsync(Endpoint(port), admin), "the cluster admin's client certificate");
        using (var server = pki.IssueServerCertificate(["localhost"], [IPAddress.Loopback]))
            Assert.False(await SessionOpensAsync(Endpoint(port), server), "a serving certificate of the cluster CA");
        using (var peer = pki.IssuePeerCertificate("test", [IPAddress.Loopback]))
            Assert.True(await SessionOpensAsync(Endpoint(port), peer), "a replica certificate of the cluster CA");
    }

    [Fact]
    public async Task TheStoreApiRefusesCallersWithoutAReplicaCertificate()
    {
        using var pki = ClusterPki.LoadOrCreate(fixture.Cluster.PkiDirectory);
        using var admin = pki.IssueClientCertificate("admin", ["system:masters"]);
        foreach (var certificate in new[] { null, admin })
        {
            using var channel = GrpcChannel.ForAddress($"https://{Replica.GrpcEndpoint}", new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    SslOptions = new SslClientAuthenticationOptions
                    {
                        ClientCertificates = certificate is null ? null : [certificate],
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    },
                },
            });
            var error = await Assert.ThrowsAsync<RpcException>(async () => await new Store.StoreClient(channel).StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));
            Assert.NotEqual(StatusCode.DeadlineExceeded, error.StatusCode);
        }
        // The harness's own client holds a replica certificate and is served.
        var status = await Replica.Client.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.True(status.AppliedIndex > 0);
    }

    private IPEndPoint Endpoint(string port) => IPEndPoint.Parse(port == "raft" ? Replica.RaftEndpoint : Replica.GrpcEndpoint);

    /// <summary>
    /// Whether a TLS session with this client certificate stays open. With TLS 1.3 the server judges the client's
    /// certificate after the client thinks the handshake is done, so a refusal may only show on the first read.
    /// </summary>
    private static async Task<bool> SessionOpensAsync(IPEndPoint endpoint, X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            using var handshake = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                // The gRPC port is HTTP/2 only, which over TLS means ALPN h2; the Raft transport ignores it.
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificates = certificate is null ? null : [certificate],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, handshake.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return false;
        }
        var buffer = new byte[1];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            // A session that is refused ends here; one that is open just waits for the client's first request.
            return await tls.ReadAsync(buffer, wait.Token) > 0;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return false;
        }
    }

    private static async Task<byte[]> ReadUntilClosedAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
                received.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // Reset by the server: as closed.
        }
        Assert.False(deadline.IsCancellationRequested, "the port kept a connection that sent plain bytes open");
        return received.ToArray();
    }
}
