namespace Orchestrator.Api.Tables;

/// <summary>The includeObject values of meta.k8s.io/v1 TableOptions; "" means <see cref="Metadata"/>.</summary>
public static class TableIncludeObject
{
    /// <summary>No object in the rows.</summary>
    public const string None = "None";

    /// <summary>A PartialObjectMetadata per row: what kubectl gets unless it sorts.</summary>
    public const string Metadata = "Metadata";

    /// <summary>The full object per row (kubectl --sort-by, custom columns).</summary>
    public const string Object = "Object";
}
