using Orchestrator.Server.Resources;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Nodes;

namespace Orchestrator.Server.Http.Rest;

/// <summary>Finds the node agent serving a pod's container, for the pod subresources proxied to it (log, exec, attach, portforward).</summary>
public sealed class PodAgents(ResourceStores stores, NodeConnections agents)
{
    public NodeConnections Connections => agents;

    /// <summary>The pod's node's agent address, and the container (defaulted when the pod has one).</summary>
    public async Task<(Uri Address, string Container, string NodeName)> TargetAsync(RestRequest request, string purpose, CancellationToken token)
    {
        var name = request.Name;
        var pod = await request.Store.GetAsync(request.Namespace, name, local: false, token);
        var names = (pod.Arr("spec", "containers") ?? []).Select(c => c.Str("name") ?? "").ToArray();
        var container = request.Query("container");
        if (string.IsNullOrEmpty(container))
        {
            if (names.Length != 1)
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', names)}]");
            container = names[0];
        }
        else if (!names.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }
        var (address, nodeName) = await NodeOfAsync(pod, purpose, token);
        return (address, container, nodeName);
    }

    /// <summary>The agent of the node the pod is bound to.</summary>
    public async Task<(Uri Address, string NodeName)> NodeOfAsync(System.Text.Json.Nodes.JsonObject pod, string purpose, CancellationToken token)
    {
        var name = pod.Str("metadata", "name");
        var nodeName = pod.Str("spec", "nodeName");
        if (string.IsNullOrEmpty(nodeName))
            throw ApiException.BadRequest($"pod {name} does not have a host assigned");
        var node = await stores.For("", "nodes").FindAsync(null, nodeName, local: false, token)
            ?? throw ApiException.ServiceUnavailable($"node {nodeName} of pod {name} is not found");
        var address = NodeConnections.AgentAddress(node)
            ?? throw ApiException.BadRequest($"node {nodeName} of pod {name} runs no node agent that {purpose}");
        return (address, nodeName);
    }
}
