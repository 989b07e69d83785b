using System.Text.Json.Nodes;

namespace Orchestrator.Api.Apply;

/// <summary>What a write did to the owned fields: which appeared, changed value, or disappeared.</summary>
internal sealed record FieldComparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    /// <summary>The fields the writer set: conflicts and ownership transfers are about these.</summary>
    public FieldSet Changed => Added.Union(Modified);

    public static FieldComparison Between(
        Dictionary<FieldSetPath, JsonNode?> before, Dictionary<FieldSetPath, JsonNode?> after)
    {
        var added = new List<FieldSetPath>();
        var modified = new List<FieldSetPath>();
        foreach ((FieldSetPath path, JsonNode? value) in after)
        {
            if (!before.TryGetValue(path, out JsonNode? old))
            {
                added.Add(path);
            }
            else if (!JsonNode.DeepEquals(old, value))
            {
                modified.Add(path);
            }
        }

        return new FieldComparison(
            new FieldSet(added),
            new FieldSet(modified),
            new FieldSet(before.Keys.Where(p => !after.ContainsKey(p))));
    }
}
