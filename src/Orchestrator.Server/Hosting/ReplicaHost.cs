using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using Orchestrator.Storage.Metrics;
using Orchestrator.Storage.Replication;
using Orchestrator.Storage.State;
using Orchestrator.Storage.Watch;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// One replica process: the replicated store plus its internal gRPC port (forwarding, store API, /metrics).
/// The store starts before the web host and stops after it.
/// </summary>
public static class ReplicaHost
{
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken token)
    {
        var level = Enum.Parse<LogLevel>(options.LogLevel, ignoreCase: true);
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .SetMinimumLevel(level));
        using var metrics = new StoreMetrics();
        // Built before the store starts, so the first leader change and early proposals are counted.
        using var meterProvider = OpenTelemetry.Sdk.CreateMeterProviderBuilder()
            .AddMeter(StoreMetrics.MeterName)
            .AddPrometheusExporter()
            .Build();
        var replica = new ReplicaOptions
        {
            RaftEndpoint = options.RaftEndpoint,
            GrpcAddress = $"http://{options.GrpcEndpoint}",
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
            kestrel.Listen(options.GrpcEndpoint, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(store);

        await using var app = builder.Build();
        app.MapGrpcService<StoreGrpcService>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
        app.Logger.LogInformation("Replica {Raft} serving gRPC on {Grpc}", options.RaftEndpoint, options.GrpcEndpoint);
        await app.RunAsync(token);
        return 0;
    }
}
