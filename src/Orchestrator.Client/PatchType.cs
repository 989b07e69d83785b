namespace Orchestrator.Client;

/// <summary>The patch flavours the API server accepts; each is one Content-Type.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch.</summary>
    Merge,

    /// <summary>Kubernetes strategic merge patch (built-in kinds only).</summary>
    Strategic,

    /// <summary>RFC 6902 JSON patch: an array of operations.</summary>
    JsonPatch,

    /// <summary>Server-side apply: the body is the full intent of one field manager.</summary>
    Apply,
}

internal static class PatchTypes
{
    public static string ContentType(this PatchType type) => type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Strategic => "application/strategic-merge-patch+json",
        PatchType.JsonPatch => "application/json-patch+json",
        PatchType.Apply => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
