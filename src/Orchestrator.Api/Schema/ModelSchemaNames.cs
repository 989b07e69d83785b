using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Orchestrator.Api.Schema;

/// <summary>
/// Names k8s.Models classes the way kube-apiserver names its OpenAPI definitions, after the Go
/// package of the type: V1Pod is "io.k8s.api.core.v1.Pod", V1ObjectMeta is
/// "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta".
/// </summary>
/// <remarks>
/// The C# names drop the Go package, so it is recovered: meta types from a table, prefixed names
/// (Corev1EndpointPort) from their prefix, top-level kinds from their group, and nested types from
/// the first top-level kind that reaches them, core kinds first (PodTemplateSpec is reached from Pod
/// before Deployment). Every name is assigned once over the whole assembly, so it does not depend on
/// which resources a server registers.
/// </remarks>
public static partial class ModelSchemaNames
{
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string Time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";

    private const string MetaPackage = "meta";

    /// <summary>Types of apimachinery's meta/v1 package, which the C# names cannot tell from core ones.</summary>
    private static readonly FrozenSet<string> MetaTypes = FrozenSet.Create(
        StringComparer.Ordinal,
        "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition", "DeleteOptions",
        "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ManagedFieldsEntry",
        "ObjectMeta", "OwnerReference", "Patch", "Preconditions", "ServerAddressByClientCIDR", "Status", "StatusCause",
        "StatusDetails", "WatchEvent");

    private static readonly Lazy<FrozenDictionary<Type, string>> Names = new(AssignAll);

    /// <summary>The definition name of a k8s.Models class.</summary>
    public static string Of(Type model) => Names.Value.TryGetValue(model, out string? name) ? name : Name(model, "core");

    private static FrozenDictionary<Type, string> AssignAll()
    {
        var names = new Dictionary<Type, string>();
        var taken = new HashSet<string>(StringComparer.Ordinal);

        void Assign(Type model, string package)
        {
            if (names.ContainsKey(model))
            {
                return;
            }

            string name = Name(model, package);
            // A clash would make two types share one schema; keep both resolvable instead.
            names[model] = taken.Add(name) ? name : $"{name}_{model.Name}";
            taken.Add(names[model]);
        }

        List<(Type Model, string Package)> roots = [.. ModelTypes.ModelClasses()
            .Select(t => (Model: t, Kind: ModelTypes.KindOf(t)))
            .Where(r => r.Kind is not null)
            .Select(r => (r.Model, Package: PackageOfGroup(r.Kind!.Value.Group)))
            .OrderBy(r => r.Package == "core" ? 0 : 1)
            .ThenBy(r => r.Package, StringComparer.Ordinal)
            .ThenBy(r => r.Model.Name, StringComparer.Ordinal)];

        foreach ((Type model, string package) in roots)
        {
            Assign(model, package);
        }

        foreach ((Type root, string package) in roots)
        {
            var queue = new Queue<Type>([root]);
            var seen = new HashSet<Type> { root };
            while (queue.TryDequeue(out Type? current))
            {
                foreach ((_, System.Reflection.PropertyInfo property) in ModelShape.OrderedFieldsOf(current))
                {
                    if (NestedModel(property.PropertyType) is { } nested && seen.Add(nested))
                    {
                        Assign(nested, package);
                        queue.Enqueue(nested);
                    }
                }
            }
        }

        foreach (Type model in ModelTypes.ModelClasses())
        {
            Assign(model, "core");
        }

        return names.ToFrozenDictionary();
    }

    private static Type? NestedModel(Type type)
    {
        ModelShape shape = ModelShape.Of(type);
        return shape.Kind switch
        {
            ModelShapeKind.Model => shape.Element,
            ModelShapeKind.Array or ModelShapeKind.Map => NestedModel(shape.Element!),
            _ => null,
        };
    }

    /// <summary>The name of <paramref name="model"/> were it in <paramref name="package"/>, unless its own name says better.</summary>
    private static string Name(Type model, string package)
    {
        Match match = ClassName().Match(model.Name);
        if (!match.Success)
        {
            return $"io.k8s.orchestrator.models.{model.Name}";
        }

        string version = match.Groups["version"].Value.ToLowerInvariant();
        string bare = match.Groups["name"].Value;
        string chosen = match.Groups["package"].Success
            ? match.Groups["package"].Value.ToLowerInvariant()
            : MetaTypes.Contains(bare) && version == "v1" ? MetaPackage : package;
        return $"{PackagePrefix(chosen)}.{version}.{bare}";
    }

    private static string PackageOfGroup(string group) => group.Length == 0 ? "core" : group.Split('.')[0];

    private static string PackagePrefix(string package) => package switch
    {
        MetaPackage => "io.k8s.apimachinery.pkg.apis.meta",
        "apiextensions" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
        "apiregistration" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
        _ => $"io.k8s.api.{package}",
    };

    /// <summary>V1Pod, V1beta1Lease, Corev1EndpointPort: optional package, version, name.</summary>
    [GeneratedRegex("^(?:(?<package>[A-Z][a-z]+)(?<version>v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)|(?<version>V[0-9]+(?:alpha[0-9]+|beta[0-9]+)?))(?<name>[A-Z][A-Za-z0-9]*)$")]
    private static partial Regex ClassName();
}
