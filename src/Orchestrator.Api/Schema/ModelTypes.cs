using System.Collections.Frozen;
using System.Reflection;
using k8s.Models;

namespace Orchestrator.Api.Schema;

/// <summary>
/// Maps Kubernetes kinds to their typed models in KubernetesClient's k8s.Models, read once by
/// reflection from the KubeGroup/KubeApiVersion/KubeKind constants each top-level model carries.
/// </summary>
public static class ModelTypes
{
    private static readonly Lazy<FrozenDictionary<GroupVersionKind, Type>> ByKind = new(ScanKinds);

    /// <summary>Every model that declares a kind, keyed by it (Pod, PodList, Scale, Status, ...).</summary>
    public static FrozenDictionary<GroupVersionKind, Type> All => ByKind.Value;

    /// <summary>The model of <paramref name="kind"/>, or null for kinds KubernetesClient does not ship (custom resources).</summary>
    public static Type? Find(GroupVersionKind kind) => ByKind.Value.GetValueOrDefault(kind);

    /// <summary>The kind a top-level model declares, or null for nested types such as V1PodSpec.</summary>
    public static GroupVersionKind? KindOf(Type model)
    {
        string? kind = Constant(model, "KubeKind");
        string? version = Constant(model, "KubeApiVersion");
        return kind is null || version is null ? null : new GroupVersionKind(Constant(model, "KubeGroup") ?? "", version, kind);
    }

    /// <summary>The public k8s.Models classes, sorted by name so every scan sees them in one order.</summary>
    internal static IEnumerable<Type> ModelClasses() =>
        typeof(V1Pod).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "k8s.Models" && t.IsClass && !t.IsAbstract && !t.IsGenericTypeDefinition)
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static FrozenDictionary<GroupVersionKind, Type> ScanKinds()
    {
        var kinds = new Dictionary<GroupVersionKind, Type>();
        foreach (Type model in ModelClasses())
        {
            // Sorted scan and first-wins keep the answer the same on every run if two models claim a kind.
            if (KindOf(model) is { } kind)
            {
                kinds.TryAdd(kind, model);
            }
        }

        return kinds.ToFrozenDictionary();
    }

    private static string? Constant(Type model, string name) =>
        model.GetField(name, BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly) is { IsLiteral: true } field
            ? field.GetRawConstantValue() as string
            : null;
}
