using System.Text.Json.Nodes;

namespace Orchestrator.Api.CustomResources;

/// <summary>Defaulting as apiextensions-apiserver does it: absent (or non-nullable null) fields take the schema's default.</summary>
public sealed partial class StructuralSchema
{
    /// <summary>
    /// Writes deep copies of <c>default</c> values into <paramref name="obj"/> where fields are absent,
    /// then descends, so defaults inside a defaulted object apply too. metadata is left alone.
    /// </summary>
    public void ApplyDefaults(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        DefaultObject(obj, root: true);
    }

    private void DefaultInto(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                DefaultObject(obj, root: false);
                break;
            case JsonArray array when Items is not null:
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is null && Items.Default is not null && !Items.Nullable)
                    {
                        array[i] = Items.Default.DeepClone();
                    }

                    Items.DefaultInto(array[i]);
                }

                break;
        }
    }

    private void DefaultObject(JsonObject obj, bool root)
    {
        foreach (string name in PropertyOrder)
        {
            StructuralSchema property = Properties[name];
            if (property.Default is null || (root && name == "metadata"))
            {
                continue;
            }

            // A null where null is not allowed counts as absent, as in kube.
            if (!obj.TryGetPropertyValue(name, out JsonNode? current) || (current is null && !property.Nullable))
            {
                obj[name] = property.Default.DeepClone();
            }
        }

        foreach ((string name, JsonNode? value) in obj.ToList())
        {
            if (root && name == "metadata")
            {
                continue;
            }

            Child(name)?.DefaultInto(value);
        }
    }
}
