using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Server.Security;

namespace Orchestrator.Testing;

/// <summary>
/// A small HTTPS server on 127.0.0.1 and a free port, with its own CA (not the cluster's), for the outside services
/// a replica calls: an OIDC issuer, a token webhook. Replicas are told to trust <see cref="CaFile"/>.
/// </summary>
public sealed class TestHttpsServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string directory;

    private TestHttpsServer(WebApplication app, string directory, int port)
    {
        this.app = app;
        this.directory = directory;
        BaseUrl = $"https://127.0.0.1:{port}";
    }

    /// <summary>https://127.0.0.1:port, no trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>PEM of the CA that issued the server's certificate.</summary>
    public string CaFile => Path.Combine(directory, ClusterPki.CaCertificateFile);

    public static async Task<TestHttpsServer> StartAsync(Action<WebApplication> map)
    {
        var directory = Directory.CreateTempSubdirectory("orchestrator-https-").FullName;
        using var pki = ClusterPki.LoadOrCreate(directory);
        var certificate = pki.IssueServerCertificate(["localhost"], [IPAddress.Loopback]);
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new TestHttpsServer(app, directory, port);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
