using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tables;

/// <summary>
/// Builds meta.k8s.io/v1 Table responses, what kubectl asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>.
/// </summary>
public static class Table
{
    public const string ApiVersion = "meta.k8s.io/v1";

    /// <summary>
    /// A Table of <paramref name="objects"/> (all of kind <paramref name="kind"/>) with every column,
    /// wide ones included. <paramref name="includeObject"/> is "Object", "Metadata", "None", or ""
    /// (= Metadata); anything else is a 400 BadRequest. Set <paramref name="includeColumnDefinitions"/>
    /// false for watch events after the first: kube then sends "columnDefinitions": null.
    /// Objects are copied, never moved, into the result.
    /// </summary>
    public static JsonObject Build(
        GroupKind kind,
        IReadOnlyList<JsonObject> objects,
        string includeObject,
        string? resourceVersion,
        string? continueToken,
        long? remainingItemCount,
        DateTimeOffset now,
        bool includeColumnDefinitions = true) =>
        Build(TablePrinters.For(kind), objects, includeObject, resourceVersion, continueToken, remainingItemCount, now, includeColumnDefinitions);

    /// <summary>
    /// As the <see cref="GroupKind"/> overload, but a custom resource (<see cref="ResourceDefinition.Custom"/> set)
    /// prints Name plus its CRD version's additionalPrinterColumns, or Name and Age when it declares none.
    /// </summary>
    public static JsonObject Build(
        ResourceDefinition resource,
        IReadOnlyList<JsonObject> objects,
        string includeObject,
        string? resourceVersion,
        string? continueToken,
        long? remainingItemCount,
        DateTimeOffset now,
        bool includeColumnDefinitions = true)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Build(TablePrinters.For(resource), objects, includeObject, resourceVersion, continueToken, remainingItemCount, now, includeColumnDefinitions);
    }

    private static JsonObject Build(
        TablePrinter printer,
        IReadOnlyList<JsonObject> objects,
        string includeObject,
        string? resourceVersion,
        string? continueToken,
        long? remainingItemCount,
        DateTimeOffset now,
        bool includeColumnDefinitions)
    {
        ArgumentNullException.ThrowIfNull(objects);
        Func<JsonObject, JsonNode?> rowObject = RowObject(includeObject);

        var rows = new JsonArray();
        foreach (JsonObject obj in objects)
        {
            var row = new JsonObject { ["cells"] = printer.Cells(obj, now) };
            if (printer.Conditions?.Invoke(obj) is { } conditions)
            {
                row["conditions"] = conditions;
            }

            // kube writes "object": null for None (a RawExtension is never omitted).
            row["object"] = rowObject(obj);
            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = ApiVersion,
            ["metadata"] = ListMetadata(resourceVersion, continueToken, remainingItemCount),
            ["columnDefinitions"] = includeColumnDefinitions ? new JsonArray([.. printer.Columns.Select(c => c.ToJson())]) : null,
            ["rows"] = rows,
        };
    }

    /// <summary>Validates includeObject up front so a bad value fails even for an empty list.</summary>
    private static Func<JsonObject, JsonNode?> RowObject(string? includeObject) => includeObject switch
    {
        TableIncludeObject.Object => obj => obj.DeepClone(),
        TableIncludeObject.Metadata or "" or null => PartialObjectMetadata,
        TableIncludeObject.None => _ => null,
        _ => throw ApiException.BadRequest($"unrecognized includeObject value: \"{includeObject}\""),
    };

    /// <summary>The object's whole metadata under kind PartialObjectMetadata, as meta.AsPartialObjectMetadata.</summary>
    public static JsonObject PartialObjectMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = ApiVersion,
        ["metadata"] = obj["metadata"] is JsonObject metadata ? metadata.DeepClone() : new JsonObject(),
    };

    private static JsonObject ListMetadata(string? resourceVersion, string? continueToken, long? remainingItemCount)
    {
        var metadata = new JsonObject();
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        if (remainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        return metadata;
    }
}
