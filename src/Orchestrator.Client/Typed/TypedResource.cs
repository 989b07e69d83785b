using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Orchestrator.Api.Registry;
using Orchestrator.Client.Watching;

namespace Orchestrator.Client.Typed;

/// <summary>
/// k8s.Models access to one resource: (de)serializes with KubernetesClient's JSON settings and delegates
/// to the generic JsonObject path of <see cref="KubeClient"/>, so there is still one path per verb.
/// </summary>
public sealed class TypedResource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly KubeClient client;
    private readonly KubernetesEntityAttribute entity;

    internal TypedResource(KubeClient client)
    {
        this.client = client;
        entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
                 ?? throw new ArgumentException($"{typeof(T).Name} has no [KubernetesEntity]: not a k8s.Models kind");
        // Scope is not in the attribute; the built-in registry knows it.
        var definition = BuiltInResources.All.FirstOrDefault(d => d.Group == entity.Group && d.Version == entity.ApiVersion && d.Kind == entity.Kind)
                         ?? throw new ArgumentException($"{entity.Kind} is not a built-in resource of this server");
        Resource = ApiResource.From(definition);
    }

    public ApiResource Resource { get; }

    public async Task<T> GetAsync(string? ns, string name, CancellationToken token = default) =>
        FromJson(await client.GetAsync(Resource, ns, name, token).ConfigureAwait(false));

    public async Task<(IReadOnlyList<T> Items, string ResourceVersion, string? Continue)> ListAsync(string? ns, ListOptions? options = null,
        CancellationToken token = default)
    {
        var list = await client.ListAsync(Resource, ns, options, token).ConfigureAwait(false);
        return ([.. list.Items.Select(FromJson)], list.ResourceVersion, list.Continue);
    }

    public async Task<T> CreateAsync(T obj, WriteOptions? options = null, CancellationToken token = default) =>
        FromJson(await client.CreateAsync(Resource, obj.Metadata?.NamespaceProperty, ToJson(obj), options, token).ConfigureAwait(false));

    public async Task<T> UpdateAsync(T obj, WriteOptions? options = null, string? subresource = null, CancellationToken token = default) =>
        FromJson(await client.UpdateAsync(Resource, ToJson(obj), options, subresource, token).ConfigureAwait(false));

    public async Task<T> PatchAsync(string? ns, string name, PatchType type, JsonNode patch, WriteOptions? options = null,
        string? subresource = null, CancellationToken token = default) =>
        FromJson(await client.PatchAsync(Resource, ns, name, type, patch, options, subresource, token).ConfigureAwait(false));

    /// <summary>Returns the raw answer: the deleted (or terminating) object, or a Success Status.</summary>
    public Task<JsonObject> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken token = default) =>
        client.DeleteAsync(Resource, ns, name, options, token);

    public async IAsyncEnumerable<(string Type, T Object)> WatchAsync(string? ns, WatchOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token = default)
    {
        await foreach (var change in client.WatchAsync(Resource, ns, options, token).ConfigureAwait(false))
        {
            if (change.Type != WatchEventTypes.Bookmark)
                yield return (change.Type, FromJson(change.Object));
        }
    }

    /// <summary>Serializes with apiVersion and kind filled in, which the server requires on writes.</summary>
    public JsonObject ToJson(T obj)
    {
        obj.ApiVersion ??= entity.Group.Length == 0 ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        obj.Kind ??= entity.Kind;
        return JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject
               ?? throw new InvalidOperationException($"{typeof(T).Name} did not serialize to a JSON object");
    }

    public static T FromJson(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());
}
