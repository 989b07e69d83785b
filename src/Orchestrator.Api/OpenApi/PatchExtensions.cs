using System.Collections.Frozen;
using k8s.Models;
using Microsoft.OpenApi;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key on list fields, from the
/// patchStrategy/patchMergeKey tags of k8s.io/api. kubectl apply reads them from the document to
/// build strategic merge patches; without them it would treat these lists as atomic.
/// </summary>
/// <remarks>
/// Keyed by model and field, where <see cref="Patching.KubernetesPatchSchema"/> keys the same facts
/// by object path for the server's own merging; a test keeps the two in agreement.
/// </remarks>
internal static class PatchExtensions
{
    public const string Strategy = "x-kubernetes-patch-strategy";
    public const string MergeKey = "x-kubernetes-patch-merge-key";

    private static readonly FrozenDictionary<(Type Model, string Field), (string Strategy, string? MergeKey)> Fields =
        new Dictionary<(Type, string), (string, string?)>
        {
            [(typeof(V1PodSpec), "containers")] = ("merge", "name"),
            [(typeof(V1PodSpec), "initContainers")] = ("merge", "name"),
            [(typeof(V1PodSpec), "ephemeralContainers")] = ("merge", "name"),
            [(typeof(V1PodSpec), "imagePullSecrets")] = ("merge", "name"),
            [(typeof(V1PodSpec), "volumes")] = ("merge,retainKeys", "name"),
            [(typeof(V1PodSpec), "hostAliases")] = ("merge", "ip"),
            [(typeof(V1PodSpec), "topologySpreadConstraints")] = ("merge", "topologyKey"),
            [(typeof(V1PodSpec), "resourceClaims")] = ("merge,retainKeys", "name"),
            [(typeof(V1PodSpec), "schedulingGates")] = ("merge", "name"),
            [(typeof(V1Container), "ports")] = ("merge", "containerPort"),
            [(typeof(V1Container), "env")] = ("merge", "name"),
            [(typeof(V1Container), "volumeMounts")] = ("merge", "mountPath"),
            [(typeof(V1Container), "volumeDevices")] = ("merge", "devicePath"),
            [(typeof(V1EphemeralContainer), "ports")] = ("merge", "containerPort"),
            [(typeof(V1EphemeralContainer), "env")] = ("merge", "name"),
            [(typeof(V1EphemeralContainer), "volumeMounts")] = ("merge", "mountPath"),
            [(typeof(V1EphemeralContainer), "volumeDevices")] = ("merge", "devicePath"),
            [(typeof(V1ObjectMeta), "ownerReferences")] = ("merge", "uid"),
            [(typeof(V1ObjectMeta), "finalizers")] = ("merge", null),
            [(typeof(V1ServiceSpec), "ports")] = ("merge", "port"),
            [(typeof(V1NodeSpec), "podCIDRs")] = ("merge", null),
            [(typeof(V1NodeStatus), "addresses")] = ("merge", "type"),
            [(typeof(V1NodeStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1PodStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1PodStatus), "podIPs")] = ("merge", "ip"),
            [(typeof(V1PodStatus), "hostIPs")] = ("merge", "ip"),
            [(typeof(V1NamespaceStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1PersistentVolumeClaimStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1DeploymentStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1ReplicaSetStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1StatefulSetStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1DaemonSetStatus), "conditions")] = ("merge", "type"),
            [(typeof(V1PodDisruptionBudgetStatus), "conditions")] = ("merge", "type"),
        }.ToFrozenDictionary();

    /// <summary>The extensions for <paramref name="field"/> of <paramref name="model"/>, or null when it has none.</summary>
    public static Dictionary<string, IOpenApiExtension>? For(Type model, string field)
    {
        if (!Fields.TryGetValue((model, field), out var patch))
        {
            return null;
        }

        var extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal)
        {
            [Strategy] = OpenApiExtensions.String(patch.Strategy),
        };
        if (patch.MergeKey is not null)
        {
            extensions[MergeKey] = OpenApiExtensions.String(patch.MergeKey);
        }

        return extensions;
    }
}
