using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// fieldValidation=Strict: finds the fields a request sets that the kind's schema (its k8s.Models type,
/// or a custom resource's CRD schema) does not have, reported as kube-apiserver's strict decoder does.
/// </summary>
public static class StrictFieldValidation
{
    /// <summary>
    /// The paths of unknown fields in <paramref name="obj"/>, in document order, e.g.
    /// <c>spec.foo</c>, <c>spec.template.spec.containers[0].bogus</c>. Map entries (labels, data,
    /// resource lists) accept any key; free-form fields accept anything. Empty for kinds with no
    /// known type, such as custom resources.
    /// </summary>
    public static IReadOnlyList<string> UnknownFields(GroupVersionKind gvk, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Type? model = ModelTypes.Find(gvk);
        if (model is null)
        {
            return [];
        }

        var unknown = new List<string>();
        WalkModel(model, obj, "", unknown);
        return unknown;
    }

    /// <summary>
    /// As <see cref="UnknownFields(GroupVersionKind, JsonObject)"/>, but a custom resource is checked against its CRD
    /// version's schema: the fields pruning would drop (x-kubernetes-preserve-unknown-fields keeps its subtree).
    /// </summary>
    public static IReadOnlyList<string> UnknownFields(ResourceDefinition resource, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        return resource.Custom is { } custom ? custom.Schema.UnknownFields(obj) : UnknownFields(resource.GroupVersionKind, obj);
    }

    /// <summary>The 400 message kube-apiserver sends: <c>strict decoding error: unknown field "spec.foo", unknown field "x"</c>.</summary>
    public static string Message(IReadOnlyList<string> unknownFields) =>
        "strict decoding error: " + string.Join(", ", unknownFields.Select(f => $"unknown field \"{f}\""));

    private static void WalkModel(Type model, JsonObject obj, string path, List<string> unknown)
    {
        var fields = ModelShape.FieldsOf(model);
        foreach ((string name, JsonNode? value) in obj)
        {
            string child = path.Length == 0 ? name : $"{path}.{name}";
            if (fields.TryGetValue(name, out System.Reflection.PropertyInfo? property))
            {
                WalkValue(property.PropertyType, value, child, unknown);
            }
            else
            {
                unknown.Add(child);
            }
        }
    }

    private static void WalkValue(Type type, JsonNode? value, string path, List<string> unknown)
    {
        ModelShape shape = ModelShape.Of(type);
        switch (shape.Kind, value)
        {
            case (ModelShapeKind.Model, JsonObject obj):
                WalkModel(shape.Element!, obj, path, unknown);
                break;
            case (ModelShapeKind.Array, JsonArray array):
                for (int i = 0; i < array.Count; i++)
                {
                    WalkValue(shape.Element!, array[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", unknown);
                }

                break;
            case (ModelShapeKind.Map, JsonObject map):
                // Go's decoder names a map entry like a field: "spec.selector.matchLabels.app".
                foreach ((string key, JsonNode? entry) in map)
                {
                    WalkValue(shape.Element!, entry, $"{path}.{key}", unknown);
                }

                break;
        }
    }
}
