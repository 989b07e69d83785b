using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>
/// JSON merge patch (RFC 7386), Content-Type application/merge-patch+json: objects merge
/// recursively, null deletes, anything else (arrays included) replaces.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>Returns the patched document; neither argument is modified.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        JsonObject result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        MergeInto(result, patchObject);
        return result;
    }

    // Mutates the already-cloned target so a deep document is copied once, not once per level.
    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach ((string key, JsonNode? value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild)
            {
                if (target[key] is not JsonObject targetChild)
                {
                    targetChild = new JsonObject();
                    target[key] = targetChild;
                }

                MergeInto(targetChild, patchChild);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
