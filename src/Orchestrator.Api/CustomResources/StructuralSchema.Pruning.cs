using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// Pruning as apiextensions-apiserver does it: fields the schema does not declare are dropped,
/// except below x-kubernetes-preserve-unknown-fields; apiVersion, kind and metadata stay at the root
/// and in embedded resources.
/// </summary>
public sealed partial class StructuralSchema
{
    /// <summary>Removes unknown fields from <paramref name="obj"/>; returns their paths (<c>spec.foo</c>) in document order.</summary>
    public IReadOnlyList<string> Prune(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var found = new List<string>();
        WalkObject(obj, null, isRoot: true, remove: true, found);
        return found;
    }

    /// <summary>The paths <see cref="Prune"/> would remove, leaving <paramref name="obj"/> as it is (fieldValidation Strict/Warn).</summary>
    public IReadOnlyList<string> UnknownFields(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var found = new List<string>();
        WalkObject(obj, null, isRoot: true, remove: false, found);
        return found;
    }

    private void WalkValue(JsonNode? value, FieldPath path, bool remove, List<string> found)
    {
        switch (value)
        {
            case JsonObject obj:
                WalkObject(obj, path, isRoot: EmbeddedResource, remove, found);
                break;
            case JsonArray array when Items is not null:
                for (int i = 0; i < array.Count; i++)
                {
                    Items.WalkValue(array[i], path.Index(i), remove, found);
                }

                break;
        }
    }

    /// <param name="isRoot">The object's apiVersion, kind and metadata are kept (the root, or an embedded resource).</param>
    private void WalkObject(JsonObject obj, FieldPath? path, bool isRoot, bool remove, List<string> found)
    {
        foreach ((string name, JsonNode? value) in obj.ToList())
        {
            if (isRoot && name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            FieldPath child = path is null ? (name.Length == 0 ? FieldPath.Root("\"\"") : FieldPath.Root(name)) : FieldOf(path, name);
            if (Child(name) is { } schema)
            {
                schema.WalkValue(value, child, remove, found);
            }
            else if (!PreserveUnknownFields && !AdditionalPropertiesAllowed)
            {
                found.Add(child.ToString());
                if (remove)
                {
                    obj.Remove(name);
                }
            }
        }
    }
}
