using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http.Rest;

/// <summary>
/// The one REST handler every resource goes through, built-in or custom: it parses the request, calls the resource's
/// <see cref="ResourceStore"/>, and writes the answer. Subresources are REST objects of their own.
/// </summary>
public sealed partial class ResourceHandler(ResourceStores stores, SubresourceTable subresources, TimeProvider clock, WatchLines watchLines)
{
    /// <summary>How often an idle watch gets a bookmark when it asked for them.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    public Task HandleAsync(HttpContext context, RequestInfo info, ResourceDefinition resource)
    {
        var request = new RestRequest(context, info, stores.For(resource));
        if (resource.Namespaced && info.Namespace is null && info.Name is not null)
            throw ApiException.NotFound(resource.GroupResource, info.Name);
        if (!resource.Namespaced && info.Namespace is not null)
            throw NotFoundPath();

        var verb = info.Verb;
        if (info.Subresource is { } name)
        {
            if (resource.FindSubresource(name) is not { } definition || subresources.Find(resource, name) is not { } rest)
                throw NotFoundPath();
            if (info.Name is null || !definition.Verbs.Contains(verb))
                throw ApiException.MethodNotAllowed(resource.GroupResource, verb);
            return rest.HandleAsync(request);
        }

        if (!resource.Supports(verb))
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

    public static ApiException NotFoundPath() =>
        new(Status.Failed(404, StatusReasons.NotFound, "the server could not find the requested resource"));

    private DateTimeOffset Now => clock.GetUtcNow();

    private static ListOptions ListOptionsOf(RestRequest request) => ListOptions.Parse(request.Query, request.Resource);
}
