using Orchestrator.Server.Resources;
using System.Collections.Frozen;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Http.Rest;

/// <summary>A subresource's REST object: it reads its request and works through the parent's store.</summary>
public interface ISubresourceRest
{
    Task HandleAsync(RestRequest request);
}

/// <summary>
/// Which REST object serves each subresource. status and scale serve any resource that declares them (custom
/// resources too); the rest belong to one kind each.
/// </summary>
public sealed class SubresourceTable(ResourceStores stores, Nodes.NodeConnections agents, Security.Authentication.ServiceAccountTokens tokens, TimeProvider clock)
{
    private readonly StatusRest status = new();

    private readonly FrozenDictionary<(GroupResource, string), ISubresourceRest> byKind = new Dictionary<(GroupResource, string), ISubresourceRest>
    {
        [(new("", "pods"), "binding")] = new BindingRest(clock),
        [(new("", "pods"), "eviction")] = new EvictionRest(stores, clock),
        [(new("", "pods"), "log")] = new LogRest(new PodAgents(stores, agents)),
        [(new("", "pods"), "exec")] = RemoteCommand.RemoteCommandRest.Exec(new PodAgents(stores, agents)),
        [(new("", "pods"), "attach")] = RemoteCommand.RemoteCommandRest.Attach(new PodAgents(stores, agents)),
        [(new("", "pods"), "portforward")] = new PortForward.PortForwardRest(new PodAgents(stores, agents)),
        [(new("", "namespaces"), "finalize")] = new FinalizeRest(),
        [(new("", "serviceaccounts"), "token")] = new TokenRequestRest(tokens, stores, clock),
    }.ToFrozenDictionary();

    public ISubresourceRest? Find(ResourceDefinition resource, string name) => name switch
    {
        "status" => status,
        "scale" => ScaleRest.For(stores.For(resource)),
        _ => byKind.GetValueOrDefault((resource.GroupResource, name)),
    };
}
