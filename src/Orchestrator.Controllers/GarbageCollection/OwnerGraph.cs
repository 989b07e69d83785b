using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.GarbageCollection;

/// <summary>A node of the graph: one object of one watched resource.</summary>
public sealed record ObjectRef(ApiResource Resource, string? Namespace, string Name, string Uid)
{
    public string Key => $"{Resource}|{Namespace}/{Name}";
}

/// <summary>
/// Who owns whom among the watched objects, from informer events: uid to object, and owner uid to its
/// dependents, so a deleted owner finds its dependents without scanning every cache.
/// </summary>
public sealed class OwnerGraph
{
    private readonly object gate = new();
    private readonly Dictionary<string, ObjectRef> byUid = [];
    private readonly Dictionary<string, HashSet<ObjectRef>> dependents = [];

    public void Upsert(ApiResource resource, JsonObject obj, JsonObject? previous)
    {
        var node = RefOf(resource, obj);
        lock (gate)
        {
            if (previous is not null)
                Unlink(RefOf(resource, previous), previous);
            byUid[node.Uid] = node;
            foreach (var owner in obj.OwnerReferences())
            {
                if (owner.Str("uid") is not { Length: > 0 } uid)
                    continue;
                if (!dependents.TryGetValue(uid, out var set))
                    dependents[uid] = set = [];
                set.Add(node);
            }
        }
    }

    public void Remove(ApiResource resource, JsonObject obj)
    {
        lock (gate)
        {
            var node = RefOf(resource, obj);
            Unlink(node, obj);
            byUid.Remove(node.Uid);
        }
    }

    public ObjectRef? Find(string uid)
    {
        lock (gate)
            return byUid.GetValueOrDefault(uid);
    }

    public IReadOnlyList<ObjectRef> DependentsOf(string uid)
    {
        lock (gate)
            return dependents.TryGetValue(uid, out var set) ? [.. set] : [];
    }

    public static ObjectRef RefOf(ApiResource resource, JsonObject obj) => new(resource, obj.Namespace(), obj.Name(), obj.Uid());

    private void Unlink(ObjectRef node, JsonObject obj)
    {
        foreach (var owner in obj.OwnerReferences())
        {
            if (owner.Str("uid") is { } uid && dependents.TryGetValue(uid, out var set))
            {
                set.Remove(node);
                if (set.Count == 0)
                    dependents.Remove(uid);
            }
        }
    }
}
