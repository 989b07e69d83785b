using System.Text.Json.Nodes;
using Orchestrator.Api.Validation;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Namespaces: DNS-1123 label names, phase Active, the name label Kubernetes adds.</summary>
public sealed class NamespaceStrategy : ResourceStrategy
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    public override IReadOnlyList<string> CheckName(string name) => NameValidation.CheckDns1123Label(name);

    public override void ApplyDefaults(JsonObject obj)
    {
        obj.Metadata().Child("labels")[NameLabel] = obj.Name();
        obj.Child("spec").Default("finalizers", new JsonArray("kubernetes"));
    }

    public override void PrepareForCreate(JsonObject obj) =>
        obj["status"] = new JsonObject { ["phase"] = "Active" };

    /// <summary>A namespace always goes Terminating first; the namespace controller empties it, then spec.finalizers.</summary>
    public override JsonObject? MarkForDeletion(JsonObject marked, JsonObject current, DeleteOptions options, DateTimeOffset now)
    {
        if (current.IsDeleting())
            return marked;
        var metadata = marked.Metadata();
        metadata["deletionTimestamp"] = Json.Timestamp(now);
        metadata["deletionGracePeriodSeconds"] = 0;
        marked.Child("status")["phase"] = "Terminating";
        return marked;
    }

    public override bool HoldsDeletion(JsonObject obj) => (obj.Arr("spec", "finalizers")?.Count ?? 0) > 0;
}

/// <summary>Nodes: unlike most kinds, a node's first status comes with its create (its agent registers with it).</summary>
public sealed class NodeStrategy : ResourceStrategy
{
    public override bool KeepsStatusOnCreate => true;
}
