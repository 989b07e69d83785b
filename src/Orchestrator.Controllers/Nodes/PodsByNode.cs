using System.Text.Json.Nodes;
using Orchestrator.Client.Informers;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.Nodes;

/// <summary>An index of pod keys by spec.nodeName, kept from pod informer events (so eviction never scans all pods).</summary>
public sealed class PodsByNode
{
    private readonly Dictionary<string, HashSet<string>> byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> nodeOf = new(StringComparer.Ordinal);

    public void OnPod(InformerEvent change)
    {
        var key = QueueController.KeyOf(change.Object);
        var node = change.Type == InformerEventType.Deleted ? null : change.Object.Str("spec", "nodeName");
        lock (byNode)
        {
            if (nodeOf.TryGetValue(key, out var old) && old != node)
            {
                nodeOf.Remove(key);
                if (byNode.TryGetValue(old, out var set) && set.Remove(key) && set.Count == 0)
                    byNode.Remove(old);
            }
            if (!string.IsNullOrEmpty(node))
            {
                nodeOf[key] = node;
                if (!byNode.TryGetValue(node, out var set))
                    byNode[node] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(key);
            }
        }
    }

    public IReadOnlyList<string> On(string node)
    {
        lock (byNode)
            return byNode.TryGetValue(node, out var set) ? [.. set] : [];
    }
}
