using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Events;
using Orchestrator.Node.Images;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Agent;

/// <summary>What every pod worker of one agent shares.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed record PodWorkerContext(
    KubeClient Client,
    RuncRuntime Runtime,
    ImageStore Images,
    PodSandboxes Sandboxes,
    ContainerSpecs Specs,
    NodeAgentOptions Options,
    TimeProvider Clock,
    ILogger Logger,
    EventRecorder Events);
