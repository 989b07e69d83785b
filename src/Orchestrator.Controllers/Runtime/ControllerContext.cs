using Microsoft.Extensions.Logging;
using Orchestrator.Client;

namespace Orchestrator.Controllers.Runtime;

/// <summary>What a controller gets for one leadership term: the API client, shared caches, clock and settings.</summary>
public sealed record ControllerContext(
    KubeClient Client,
    SharedInformers Informers,
    TimeProvider Clock,
    ControllerSettings Settings,
    ILoggerFactory LoggerFactory);
