using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Http;
using Orchestrator.Server.Resources.Strategies;

namespace Orchestrator.Server.Resources;

/// <summary>
/// The one REST handler every resource goes through, built-in or custom: verbs map to store
/// operations, and what differs per kind comes from its <see cref="ResourceStrategy"/>.
/// </summary>
public sealed partial class ResourceHandler(ObjectStore objects, StrategyTable strategies, TimeProvider clock, Nodes.NodeConnections agents, WatchLines watchLines)
{
    /// <summary>How often an idle watch gets a bookmark when it asked for them.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    public ObjectStore Objects => objects;

    public Task HandleAsync(HttpContext context, RequestInfo info, ResourceDefinition resource)
    {
        var request = new ResourceRequest(context, info, resource, strategies.For(resource.GroupKind));
        if (resource.Namespaced && info.Namespace is null && info.Name is not null)
            throw ApiException.NotFound(resource.GroupResource, info.Name);
        if (!resource.Namespaced && info.Namespace is not null)
            throw NotFoundPath(context);

        if (info.Subresource is { } sub)
        {
            if (resource.FindSubresource(sub) is not { } subresource)
                throw NotFoundPath(context);
            return HandleSubresourceAsync(request, subresource);
        }

        var verb = info.Verb;
        if (!resource.Supports(verb) && !(verb == "deletecollection" && resource.Supports(Verbs.DeleteCollection)))
            throw ApiException.MethodNotAllowed(resource.GroupResource, verb);
        return verb switch
        {
            "get" => GetAsync(request),
            "list" => ListAsync(request),
            "watch" => WatchAsync(request),
            "create" when info.Name is null => CreateAsync(request),
            "update" when info.Name is not null => UpdateAsync(request),
            "patch" when info.Name is not null => PatchAsync(request),
            "delete" => DeleteAsync(request),
            "deletecollection" => DeleteCollectionAsync(request),
            _ => throw ApiException.MethodNotAllowed(resource.GroupResource, verb),
        };
    }

    public static ApiException NotFoundPath(HttpContext context) =>
        new(Status.Failed(404, StatusReasons.NotFound, "the server could not find the requested resource"));

    private DateTimeOffset Now => clock.GetUtcNow();

    private string Timestamp() => Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool IsDryRun(HttpContext context)
    {
        var dryRun = context.Request.Query["dryRun"];
        foreach (var value in dryRun)
        {
            if (value != "All")
                throw ApiException.BadRequest($"Invalid dryRun value \"{value}\": supported values are \"All\"");
        }
        return dryRun.Count > 0;
    }

    private static long ParseRevision(string? text, string what) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw ApiException.BadRequest($"invalid {what}: {text}");
}

/// <summary>One request to the generic handler, with what it resolved to.</summary>
public sealed record ResourceRequest(HttpContext Context, RequestInfo Info, ResourceDefinition Resource, ResourceStrategy Strategy)
{
    public string Key => ObjectStore.Key(Resource, Info.Namespace, Info.Name!);

    public string Prefix => ObjectStore.Prefix(Resource, Info.Namespace);

    public CancellationToken Token => Context.RequestAborted;
}
