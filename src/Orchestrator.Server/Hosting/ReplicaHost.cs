using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using OpenTelemetry.Metrics;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Http;
using Orchestrator.Server.Resources;
using Orchestrator.Server.Resources.Strategies;
using Orchestrator.Server.Security;
using Orchestrator.Storage.Metrics;
using Orchestrator.Storage.Replication;
using Orchestrator.Storage.State;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// One replica process: the replicated store, its internal gRPC port (forwarding, store API, /metrics; replicas only, mutual TLS)
/// and the Kubernetes API over HTTPS. The store starts before the web host and stops after it.
/// </summary>
public static class ReplicaHost
{
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken token)
    {
        var level = Enum.Parse<LogLevel>(options.LogLevel, ignoreCase: true);
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .SetMinimumLevel(level));
        using var pki = ClusterPki.LoadOrCreate(options.PkiDirectory);
        using var serving = pki.IssueServerCertificate(["localhost", Dns.GetHostName()], [IPAddress.Loopback, IPAddress.IPv6Loopback, options.ApiEndpoint.Address]);
        using var peerCertificate = pki.IssuePeerCertificate(options.RaftEndpoint.ToString(), [IPAddress.Loopback, options.RaftEndpoint.Address, options.GrpcEndpoint.Address]);
        var peerTls = new PeerTls(peerCertificate, pki.VerifyPeer);
        using var encryption = Security.Encryption.StorageEncryption.Load(options.EncryptionConfig);
        using var metrics = new StoreMetrics();
        using var apiMetrics = new ApiMetrics();
        using var inflight = new InflightLimits(options.MaxMutatingRequestsInflight, options.MaxRequestsInflight, apiMetrics);
        // Built before the store starts, so the first leader change and early proposals are counted.
        using var meterProvider = OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .AddMeter(StoreMetrics.MeterName, ApiMetrics.MeterName, Orchestrator.Client.Events.EventRecorder.MeterName)
            .AddPrometheusExporter()
            .Build();
        var replica = new ReplicaOptions
        {
            RaftEndpoint = options.RaftEndpoint,
            GrpcAddress = $"https://{options.GrpcEndpoint}",
            PeerTls = peerTls,
            UnsafeLocalReads = options.UnsafeLocalReads,
            MaxReplicationLag = options.MaxReplicationLag,
            Members = options.Peers,
            StateMachine = new StateMachineOptions
            {
                DataDirectory = options.DataDirectory,
                SnapshotEvery = options.SnapshotEvery,
                Watch = new WatchWindowOptions { MaxEvents = options.WatchWindowEvents },
            },
        };
        await using var store = await ReplicatedStore.StartAsync(replica, loggerFactory, metrics, token);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.SetMinimumLevel(level);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RequestBody.MaxBytes + 1;
            // Replicas only: a connection without a replica certificate from the cluster CA fails its handshake.
            kestrel.Listen(options.GrpcEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = peerCertificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (certificate, _, _) => pki.VerifyPeer(certificate),
                });
            });
            kestrel.Listen(options.ApiEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serving,
                    // Any certificate is taken at the handshake; the authentication step checks it against the CA,
                    // so a bad one gets a 401 Status rather than a TLS error.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(pki);
        builder.Services.AddSingleton(apiMetrics);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ResourceRegistry.CreateWithBuiltIns());
        builder.Services.AddSingleton(encryption);
        builder.Services.AddSingleton<ObjectStore>();
        builder.Services.AddSingleton(new ServiceIpAllocator(options.ServiceCidr));
        builder.Services.AddSingleton<StrategyTable>();
        builder.Services.AddSingleton<Nodes.NodeConnections>(); // its client certificate is issued once, from the PKI above
        builder.Services.AddSingleton<WatchLines>();
        builder.Services.AddSingleton<NamespaceLifecycle>();
        builder.Services.AddSingleton<ResourceStores>();
        builder.Services.AddSingleton<Http.Rest.SubresourceTable>();
        builder.Services.AddSingleton<Http.Rest.ResourceHandler>();
        builder.Services.AddSingleton<Nodes.MetricsEndpoint>();
        builder.Services.AddSingleton<OpenApiEndpoint>();
        builder.Services.AddSingleton<Http.Dashboard.DashboardEndpoint>();
        builder.Services.AddSingleton(inflight);
        builder.Services.AddSingleton<ApiDispatcher>();
        builder.Services.AddSingleton<Security.Authentication.ClientCertificateAuthenticator>();
        builder.Services.AddSingleton<Security.Authentication.RequestAuthenticator>();
        // Bearer token authenticators, tried in this order (kube's: token file, service-account tokens, bootstrap tokens, OIDC, webhook).
        builder.Services.AddSingleton(new Security.Authentication.ServiceAccountTokens(options.PkiDirectory));
        builder.Services.AddSingleton<Security.Authentication.ITokenAuthenticator>(new Security.Authentication.StaticTokenFile(options.TokenAuthFile));
        builder.Services.AddSingleton<Security.Authentication.ITokenAuthenticator, Security.Authentication.ServiceAccountTokenAuthenticator>();
        builder.Services.AddSingleton<Security.Authentication.ITokenAuthenticator, Security.Authentication.BootstrapTokenAuthenticator>();
        if (options.Oidc is { } oidc)
        {
            builder.Services.AddSingleton<Security.Authentication.ITokenAuthenticator>(services => new Security.Authentication.OidcAuthenticator(
                oidc, TimeProvider.System, services.GetRequiredService<ILogger<Security.Authentication.OidcAuthenticator>>()));
        }
        if (options.TokenWebhookConfig is { } webhook)
        {
            builder.Services.AddSingleton<Security.Authentication.ITokenAuthenticator>(services => new Security.Authentication.WebhookTokenAuthenticator(
                webhook, options.TokenWebhookCacheTtl, TimeProvider.System, services.GetRequiredService<ILogger<Security.Authentication.WebhookTokenAuthenticator>>()));
        }
        builder.Services.AddSingleton<Security.Authorization.Rbac.RbacAuthorizer>();
        builder.Services.AddSingleton<Security.Authorization.IAuthorizer>(services => services.GetRequiredService<Security.Authorization.Rbac.RbacAuthorizer>());
        builder.Services.AddHostedService(services => services.GetRequiredService<Security.Authorization.Rbac.RbacAuthorizer>());
        builder.Services.AddSingleton<Security.Authorization.AuthorizerChain>();
        builder.Services.AddSingleton<Impersonation>();
        builder.Services.AddSingleton<Http.Rest.ReviewRest>();
        builder.Services.AddSingleton(Security.RateLimits.RateLimitPolicy.Load(options.RateLimitConfig));
        builder.Services.AddSingleton<Security.RateLimits.UserRateLimiter>();
        builder.Services.AddSingleton<Security.Audit.AuditLog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Security.Audit.AuditLog>());
        builder.Services.AddSingleton<RequestGate>();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<CustomResources.CustomResourceRegistrar>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CustomResources.CustomResourceRegistrar>());
        builder.Services.AddSingleton<LocalApiClients>();
        builder.Services.AddSingleton<Bootstrap>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Bootstrap>());
        builder.Services.AddHostedService<ControlPlaneHost>();
        builder.Services.AddHostedService<KubernetesServiceReconciler>();

        await using var app = builder.Build();
        var apiPort = options.ApiEndpoint.Port;
        // The internal port serves /metrics as it is; the API port only to those authorized for the path.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: context => context.Connection.LocalPort != apiPort && context.Request.Path == "/metrics", path: null, configureBranchedPipeline: null, optionsName: null);
        app.MapWhen(context => context.Connection.LocalPort == apiPort, api =>
        {
            api.UseWebSockets(); // pods/exec
            var dispatcher = app.Services.GetRequiredService<ApiDispatcher>();
            var stopping = app.Lifetime.ApplicationStopping;
            api.Use(async (context, next) =>
            {
                // Watches, followed logs and exec streams end when the replica begins to stop (clients re-watch
                // elsewhere), as kube-apiserver closes them; otherwise the server would wait for them to drain.
                using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                context.RequestAborted = aborted.Token;
                await dispatcher.InvokeAsync(context, next);
            });
            api.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: context => context.Request.Path == "/metrics", path: null, configureBranchedPipeline: null, optionsName: null);
        });
        app.MapGrpcService<StoreGrpcService>();
        if (options.UnsafeLocalReads)
            app.Logger.LogWarning("--unsafe-local-reads: reads skip the read barrier and may be stale; this replica is broken on purpose");
        app.Logger.LogInformation("Replica {Raft} serving the API on https://{Api}, gRPC on {Grpc}", options.RaftEndpoint, options.ApiEndpoint, options.GrpcEndpoint);
        await app.RunAsync(token);
        return 0;
    }
}
