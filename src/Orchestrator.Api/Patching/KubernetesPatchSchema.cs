using System.Collections.Immutable;

namespace Orchestrator.Api.Patching;

/// <summary>
/// The patch strategies of the built-in kinds (the patchMergeKey / patchStrategy tags of
/// k8s.io/api), as a table. Rules are tried in order, so the more specific suffixes come first.
/// </summary>
public static class KubernetesPatchSchema
{
    public static ImmutableArray<PatchRule> Rules { get; } =
    [
        // Container ports before containers: [..., "containers", "ports"] ends with both.
        Suffix(ListMergeStrategy.ByKey("containerPort"), "containers", "ports"),
        Suffix(ListMergeStrategy.ByKey("containerPort"), "initContainers", "ports"),
        Suffix(ListMergeStrategy.ByKey("containerPort"), "ephemeralContainers", "ports"),
        Suffix(ListMergeStrategy.ByKey("name"), "containers"),
        Suffix(ListMergeStrategy.ByKey("name"), "initContainers"),
        Suffix(ListMergeStrategy.ByKey("name"), "ephemeralContainers"),
        Suffix(ListMergeStrategy.ByKey("name"), "imagePullSecrets"),
        Suffix(ListMergeStrategy.ByKey("name"), "env"),
        Suffix(ListMergeStrategy.ByKey("mountPath"), "volumeMounts"),
        Suffix(ListMergeStrategy.ByKey("devicePath"), "volumeDevices"),
        Suffix(ListMergeStrategy.ByKey("name"), "spec", "volumes"),
        Suffix(ListMergeStrategy.ByKey("ip"), "spec", "hostAliases"),
        Suffix(ListMergeStrategy.ByKey("topologyKey"), "spec", "topologySpreadConstraints"),
        Suffix(ListMergeStrategy.ByKey("name"), "spec", "resourceClaims"),
        Suffix(ListMergeStrategy.ByKey("name"), "spec", "schedulingGates"),
        Suffix(ListMergeStrategy.ByKey("uid"), "metadata", "ownerReferences"),
        Suffix(ListMergeStrategy.Primitives, "metadata", "finalizers"),
        Suffix(ListMergeStrategy.ByKey("type"), "status", "conditions"),
        Suffix(ListMergeStrategy.ByKey("ip"), "status", "podIPs"),
        Suffix(ListMergeStrategy.ByKey("ip"), "status", "hostIPs"),
        // Only at the top: these names mean something else deeper in other kinds.
        Anchored(ListMergeStrategy.ByKey("type"), "status", "addresses"),
        Anchored(ListMergeStrategy.ByKey("port"), "spec", "ports"),
        Anchored(ListMergeStrategy.Primitives, "spec", "podCIDRs"),
    ];

    /// <summary>The first matching rule's strategy; lists without a rule replace wholesale.</summary>
    public static ListMergeStrategy Lookup(IReadOnlyList<string> path)
    {
        foreach (PatchRule rule in Rules)
        {
            if (rule.Matches(path))
            {
                return rule.Strategy;
            }
        }

        return ListMergeStrategy.Replace;
    }

    private static PatchRule Suffix(ListMergeStrategy strategy, params string[] pattern) => new(pattern, Anchored: false, strategy);

    private static PatchRule Anchored(ListMergeStrategy strategy, params string[] pattern) => new(pattern, Anchored: true, strategy);
}
