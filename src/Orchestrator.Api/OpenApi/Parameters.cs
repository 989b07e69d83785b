using Microsoft.OpenApi;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// The path and query parameters kube-apiserver documents. kubectl reads them: a PATCH that lists
/// fieldValidation tells it the server validates fields itself (fieldValidation=Strict).
/// </summary>
internal static class Parameters
{
    public static OpenApiParameter Name(string kind) =>
        Path("name", $"name of the {kind}");

    public static OpenApiParameter Namespace() =>
        Path("namespace", "object name and auth scope, such as for teams and projects");

    public static OpenApiParameter Pretty() =>
        Query("pretty", JsonSchemaType.String, "If 'true', then the output is pretty printed.");

    public static OpenApiParameter DryRun() =>
        Query("dryRun", JsonSchemaType.String,
            "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed");

    public static OpenApiParameter FieldManager() =>
        Query("fieldManager", JsonSchemaType.String,
            "fieldManager is a name associated with the actor or entity that is making these changes.");

    public static OpenApiParameter FieldValidation() =>
        Query("fieldValidation", JsonSchemaType.String,
            "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict");

    public static OpenApiParameter Force() =>
        Query("force", JsonSchemaType.Boolean,
            "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people.");

    /// <summary>POST and PUT: dryRun, fieldManager, fieldValidation.</summary>
    public static IEnumerable<IOpenApiParameter> Write() => [DryRun(), FieldManager(), FieldValidation()];

    /// <summary>PATCH: the write parameters plus force (server-side apply).</summary>
    public static IEnumerable<IOpenApiParameter> Patch() => [.. Write(), Force()];

    public static IEnumerable<IOpenApiParameter> List() =>
    [
        Query("allowWatchBookmarks", JsonSchemaType.Boolean, "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
        Query("continue", JsonSchemaType.String, "The continue option should be set when retrieving more results from the server."),
        Query("fieldSelector", JsonSchemaType.String, "A selector to restrict the list of returned objects by their fields."),
        Query("labelSelector", JsonSchemaType.String, "A selector to restrict the list of returned objects by their labels."),
        Query("limit", JsonSchemaType.Integer, "limit is a maximum number of responses to return for a list call."),
        Query("resourceVersion", JsonSchemaType.String, "resourceVersion sets a constraint on what resource versions a request may be served from."),
        Query("resourceVersionMatch", JsonSchemaType.String, "resourceVersionMatch determines how resourceVersion is applied to list calls."),
        Query("sendInitialEvents", JsonSchemaType.Boolean, "sendInitialEvents=true may be set together with watch=true."),
        Query("timeoutSeconds", JsonSchemaType.Integer, "Timeout for the list/watch call."),
        Query("watch", JsonSchemaType.Boolean, "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."),
    ];

    public static IEnumerable<IOpenApiParameter> Delete() =>
    [
        DryRun(),
        Query("gracePeriodSeconds", JsonSchemaType.Integer, "The duration in seconds before the object should be deleted."),
        Query("propagationPolicy", JsonSchemaType.String, "Whether and how garbage collection will be performed: Orphan, Background or Foreground."),
    ];

    private static OpenApiParameter Path(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Path,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, UniqueItems = true },
    };

    private static OpenApiParameter Query(string name, JsonSchemaType type, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema { Type = type, UniqueItems = true },
    };
}
