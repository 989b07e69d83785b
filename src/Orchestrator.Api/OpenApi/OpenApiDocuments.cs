using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// The OpenAPI v3 documents for one registry snapshot: the /openapi/v3 index and one document per
/// group-version. kubectl reads them for create/apply (to send fieldValidation=Strict) and explain.
/// </summary>
/// <remarks>
/// Built once per snapshot and immutable; rebuild when <see cref="RegistrySnapshot.Generation"/>
/// changes. Built-in resources are described from their k8s.Models type, custom resources from their
/// CRD version's schema (<see cref="ResourceDefinition.Custom"/>); anything else is left out.
/// </remarks>
public sealed class OpenApiDocuments
{
    /// <summary>The Kubernetes release whose API the documents describe (info.version).</summary>
    public const string KubernetesVersion = "v1.32.4";

    private readonly FrozenDictionary<string, GroupVersionDocument> _documents;

    private OpenApiDocuments(FrozenDictionary<string, GroupVersionDocument> documents, ReadOnlyMemory<byte> index)
    {
        _documents = documents;
        Index = index;
    }

    /// <summary>The body of GET /openapi/v3: <c>{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}</c>.</summary>
    public ReadOnlyMemory<byte> Index { get; }

    /// <summary>The documents by index path ("api/v1", "apis/apps/v1").</summary>
    public IReadOnlyDictionary<string, GroupVersionDocument> Documents => _documents;

    /// <summary>Builds every document for <paramref name="snapshot"/>; <paramref name="docs"/> supplies descriptions.</summary>
    public static OpenApiDocuments Build(RegistrySnapshot snapshot, ModelDocumentation? docs = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var documents = new SortedDictionary<string, GroupVersionDocument>(StringComparer.Ordinal);
        foreach (GroupVersion groupVersion in snapshot.GroupVersions)
        {
            string path = PathOf(groupVersion);
            if (Serialize(snapshot.InGroupVersion(groupVersion), docs ?? ModelDocumentation.None) is { } json)
            {
                documents[path] = new GroupVersionDocument(path, json, Hash(json));
            }
        }

        var paths = new JsonObject();
        foreach (GroupVersionDocument document in documents.Values)
        {
            paths[document.Path] = new JsonObject { ["serverRelativeURL"] = document.ServerRelativeUrl };
        }

        byte[] index = Encoding.UTF8.GetBytes(new JsonObject { ["paths"] = paths }.ToJsonString());
        return new OpenApiDocuments(documents.ToFrozenDictionary(StringComparer.Ordinal), index);
    }

    /// <summary>The document at /openapi/v3/{path}, if any.</summary>
    public GroupVersionDocument? Find(string path) => _documents.GetValueOrDefault(path);

    /// <summary>"api/v1" for the core group, "apis/{group}/{version}" otherwise.</summary>
    public static string PathOf(GroupVersion groupVersion) =>
        groupVersion.Group.Length == 0 ? $"api/{groupVersion.Version}" : $"apis/{groupVersion.Group}/{groupVersion.Version}";

    /// <summary>The group-version's document, or null when none of its resources has a known type.</summary>
    private static byte[]? Serialize(IEnumerable<ResourceDefinition> resources, ModelDocumentation docs)
    {
        var schemas = new ComponentSchemas(docs);
        var paths = new ResourcePaths(schemas);
        bool any = false;
        foreach (ResourceDefinition resource in resources)
        {
            if (resource.Custom is { } custom)
            {
                (IOpenApiSchema self, IOpenApiSchema list) = CustomResourceSchemas.Add(schemas, resource, custom);
                paths.Add(resource, self, list);
                any = true;
            }
            else if (ModelTypes.Find(resource.GroupVersionKind) is { } model)
            {
                paths.Add(resource, model);
                any = true;
            }
        }

        if (!any)
        {
            return null;
        }

        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo { Title = "Kubernetes", Version = KubernetesVersion },
            Paths = [],
            Components = new OpenApiComponents { Schemas = schemas.Schemas },
        };
        foreach ((string path, OpenApiPathItem item) in paths.Paths)
        {
            document.Paths[path] = item;
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV3(new OpenApiJsonWriter(text, new OpenApiJsonWriterSettings { Terse = true }));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Hash(byte[] json) => Convert.ToHexString(SHA256.HashData(json));
}
