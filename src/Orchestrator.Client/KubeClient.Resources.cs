using System.Text.Json.Nodes;
using Orchestrator.Client.Http;

namespace Orchestrator.Client;

// The verbs, once for every resource. A null namespace on a namespaced resource means all namespaces
// for LIST/WATCH and is an error for single objects.
public sealed partial class KubeClient
{
    public Task<JsonObject> GetAsync(ApiResource resource, string? ns, string name, CancellationToken token = default) =>
        SendAsync(HttpMethod.Get, resource.ItemPath(ns, name), null, null, token);

    public async Task<ListResult> ListAsync(ApiResource resource, string? ns, ListOptions? options = null, CancellationToken token = default)
    {
        var path = resource.CollectionPath(ns) + new QueryString().AddList(options);
        return ListResult.FromJson(await SendAsync(HttpMethod.Get, path, null, null, token).ConfigureAwait(false));
    }

    /// <summary>Pages through the whole collection with <paramref name="pageSize"/> items per request.</summary>
    public async IAsyncEnumerable<JsonObject> ListAllAsync(ApiResource resource, string? ns, ListOptions? options = null, int pageSize = 500,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token = default)
    {
        var page = (options ?? new ListOptions()) with { Limit = pageSize, Continue = null };
        while (true)
        {
            var result = await ListAsync(resource, ns, page, token).ConfigureAwait(false);
            foreach (var item in result.Items)
                yield return item;
            if (result.Continue is null)
                yield break;
            page = page with { Continue = result.Continue };
        }
    }

    /// <summary>POST to the collection. The namespace defaults to the object's metadata.namespace.</summary>
    public Task<JsonObject> CreateAsync(ApiResource resource, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken token = default)
    {
        var path = resource.CollectionPath(NamespaceOf(resource, ns, obj)) + new QueryString().AddWrite(options);
        return SendAsync(HttpMethod.Post, path, obj, "application/json", token);
    }

    /// <summary>
    /// PUT of the whole object, or of a subresource ("status", "scale"). Its metadata.resourceVersion, when
    /// set, makes it a compare-and-swap (409 Conflict when stale).
    /// </summary>
    public Task<JsonObject> UpdateAsync(ApiResource resource, JsonObject obj, WriteOptions? options = null, string? subresource = null,
        CancellationToken token = default)
    {
        var path = resource.ItemPath(NamespaceOf(resource, null, obj), Name(obj), subresource) + new QueryString().AddWrite(options);
        return SendAsync(HttpMethod.Put, path, obj, "application/json", token);
    }

    /// <param name="patch">A JSON object for merge, strategic and apply patches; an array of operations for JSON patch.</param>
    public Task<JsonObject> PatchAsync(ApiResource resource, string? ns, string name, PatchType type, JsonNode patch,
        WriteOptions? options = null, string? subresource = null, CancellationToken token = default)
    {
        if (type == PatchType.Apply && options?.FieldManager is null)
            throw new ArgumentException("server-side apply needs a field manager", nameof(options));
        var path = resource.ItemPath(ns, name, subresource) + new QueryString().AddWrite(options);
        // Apply is declared as YAML; JSON is a subset of YAML, so the JSON body is sent as is.
        return SendAsync(HttpMethod.Patch, path, patch, type.ContentType(), token);
    }

    /// <summary>DELETE; returns what the server answers: the object (possibly still terminating) or a Success Status.</summary>
    public Task<JsonObject> DeleteAsync(ApiResource resource, string? ns, string name, DeleteOptions? options = null, CancellationToken token = default) =>
        SendAsync(HttpMethod.Delete, resource.ItemPath(ns, name), (options ?? new DeleteOptions()).ToJson(), "application/json", token);

    /// <summary>GET of a subresource (status, scale).</summary>
    public Task<JsonObject> GetSubresourceAsync(ApiResource resource, string? ns, string name, string subresource, CancellationToken token = default) =>
        SendAsync(HttpMethod.Get, resource.ItemPath(ns, name, subresource), null, null, token);

    /// <summary>POST to a subresource: pods/binding, pods/eviction.</summary>
    public Task<JsonObject> CreateSubresourceAsync(ApiResource resource, string? ns, string name, string subresource, JsonObject body,
        WriteOptions? options = null, CancellationToken token = default)
    {
        var path = resource.ItemPath(ns, name, subresource) + new QueryString().AddWrite(options);
        return SendAsync(HttpMethod.Post, path, body, "application/json", token);
    }

    internal static string Name(JsonObject obj) =>
        obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("the object has no metadata.name", nameof(obj));

    internal static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    // An explicit namespace wins, then the object's own, then the context's (as kubectl does).
    private string? NamespaceOf(ApiResource resource, string? ns, JsonObject obj) =>
        resource.Namespaced ? ns ?? Namespace(obj) ?? DefaultNamespace : null;
}
