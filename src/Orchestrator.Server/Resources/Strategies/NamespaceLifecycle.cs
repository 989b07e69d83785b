using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>kube's NamespaceLifecycle admission: objects go only into namespaces that exist and are not being deleted.</summary>
public sealed class NamespaceLifecycle(ObjectStore objects)
{
    private static readonly ResourceDefinition Namespaces = BuiltInResources.All.Single(r => r.Group == "" && r.Plural == "namespaces");

    public async Task RequireActiveAsync(string ns, GroupResource resource, string name, CancellationToken token)
    {
        var key = ObjectStore.Key(Namespaces, null, ns);
        // This replica's copy first; a namespace made a moment ago through another replica needs the barrier.
        var found = await objects.GetAsync(key, local: true, token) ?? await objects.GetAsync(key, local: false, token)
            ?? throw ApiException.NotFound(Namespaces.GroupResource, ns);
        if (found.IsDeleting())
            throw ApiException.Forbidden(resource, name, $"unable to create new content in namespace {ns} because it is being terminated");
    }
}
