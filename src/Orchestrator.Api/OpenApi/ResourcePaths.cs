using Microsoft.OpenApi;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// The paths of one group-version document: per resource its collection, item and subresource
/// URLs, with the operations its verbs allow, named and parameterised as kube-apiserver does.
/// </summary>
internal sealed class ResourcePaths
{
    private static readonly string[] ResponseMediaTypes = ["application/json", "application/yaml"];

    /// <summary>The patch types kubectl may send; kubectl checks the document lists them.</summary>
    private static readonly string[] PatchMediaTypes =
    [
        "application/apply-patch+yaml",
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
    ];

    private static readonly GroupVersionKind DeleteOptionsKind = new("", "v1", "DeleteOptions");
    private static readonly GroupVersionKind StatusKind = new("", "v1", "Status");

    private readonly ComponentSchemas _schemas;

    public ResourcePaths(ComponentSchemas schemas) => _schemas = schemas;

    public SortedDictionary<string, OpenApiPathItem> Paths { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds the paths of <paramref name="resource"/>, whose objects are <paramref name="model"/>.</summary>
    public void Add(ResourceDefinition resource, Type model)
    {
        Type? list = ModelTypes.Find(new GroupVersionKind(resource.Group, resource.Version, resource.ListKind));
        Add(resource, _schemas.Reference(model), list is null ? null : _schemas.Reference(list));
    }

    /// <summary>Adds the paths of <paramref name="resource"/> given its object and list schemas (custom resources have no model type).</summary>
    public void Add(ResourceDefinition resource, IOpenApiSchema self, IOpenApiSchema? listSchema)
    {
        string root = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
        string scope = resource.Namespaced ? "Namespaced" : "";
        string collection = resource.Namespaced ? $"{root}/namespaces/{{namespace}}/{resource.Plural}" : $"{root}/{resource.Plural}";
        string item = $"{collection}/{{name}}";
        string id = OperationIdPrefix(resource.Group, resource.Version);
        GroupVersionKind gvk = resource.GroupVersionKind;

        OpenApiPathItem collectionPath = PathItem(collection, resource.Namespaced ? [Parameters.Namespace()] : []);
        if (resource.Supports(Verbs.List) && listSchema is not null)
        {
            collectionPath.AddOperation(HttpMethod.Get,
                Operation($"list{id}{scope}{resource.Kind}", "list", gvk, Parameters.List(), null, Ok(listSchema)));
            if (resource.Namespaced)
            {
                PathItem($"{root}/{resource.Plural}", []).AddOperation(HttpMethod.Get,
                    Operation($"list{id}{resource.Kind}ForAllNamespaces", "list", gvk, Parameters.List(), null, Ok(listSchema)));
            }
        }

        if (resource.Supports(Verbs.Create))
        {
            collectionPath.AddOperation(HttpMethod.Post,
                Operation($"create{id}{scope}{resource.Kind}", "post", gvk, Parameters.Write(), Body(self), Written(self, "201", "202")));
        }

        if (resource.Supports(Verbs.DeleteCollection) && listSchema is not null)
        {
            collectionPath.AddOperation(HttpMethod.Delete,
                Operation($"deletecollection{id}{scope}{resource.Kind}", "deletecollection", gvk,
                    [.. Parameters.Delete(), .. Parameters.List()], DeleteBody(), Ok(Status())));
        }

        OpenApiPathItem itemPath = PathItem(item, ItemParameters(resource));
        AddItemOperations(itemPath, $"{id}{scope}{resource.Kind}", gvk, self, resource.Verbs);
        if (resource.Supports(Verbs.Delete))
        {
            itemPath.AddOperation(HttpMethod.Delete,
                Operation($"delete{id}{scope}{resource.Kind}", "delete", gvk, Parameters.Delete(), DeleteBody(), Written(Status(), "202")));
        }

        foreach (SubresourceDefinition sub in resource.Subresources)
        {
            AddSubresource(resource, sub, self, $"{item}/{sub.Name}", $"{id}{scope}{resource.Kind}{Pascal(sub.Name)}");
        }
    }

    private void AddSubresource(ResourceDefinition resource, SubresourceDefinition sub, IOpenApiSchema self, string path, string id)
    {
        Type? model = ModelTypes.Find(sub.ResponseKind);
        if (sub.Name == "log")
        {
            var text = new OpenApiSchema { Type = JsonSchemaType.String };
            PathItem(path, ItemParameters(resource)).AddOperation(HttpMethod.Get,
                Operation($"read{id}", "get", resource.GroupVersionKind, [], null,
                    Responses(("200", "OK", text, ["text/plain"]))));
            return;
        }

        // status carries the object itself (a custom resource's has no model type); scale its Scale.
        IOpenApiSchema? schema = sub.ResponseKind == resource.GroupVersionKind ? self : model is null ? null : _schemas.Reference(model);
        if (schema is null)
        {
            // Streaming subresources such as exec have no body schema to describe.
            return;
        }

        OpenApiPathItem pathItem = PathItem(path, ItemParameters(resource));
        AddItemOperations(pathItem, id, sub.ResponseKind, schema, sub.Verbs);
        if (sub.Verbs.Contains(Verbs.Create))
        {
            pathItem.AddOperation(HttpMethod.Post,
                Operation($"create{id}", "post", sub.ResponseKind, Parameters.Write(), Body(schema), Written(schema, "201", "202")));
        }
    }

    /// <summary>get, put and patch on one object (or its status or scale).</summary>
    private void AddItemOperations(OpenApiPathItem path, string id, GroupVersionKind gvk, IOpenApiSchema schema, IEnumerable<string> verbs)
    {
        if (verbs.Contains(Verbs.Get))
        {
            path.AddOperation(HttpMethod.Get, Operation($"read{id}", "get", gvk, [], null, Ok(schema)));
        }

        if (verbs.Contains(Verbs.Update))
        {
            path.AddOperation(HttpMethod.Put,
                Operation($"replace{id}", "put", gvk, Parameters.Write(), Body(schema), Written(schema, "201")));
        }

        if (verbs.Contains(Verbs.Patch))
        {
            IOpenApiSchema patch = _schemas.PatchReference();
            var body = new OpenApiRequestBody
            {
                Required = true,
                Content = PatchMediaTypes.ToDictionary(m => m, _ => new OpenApiMediaType { Schema = patch }),
            };
            path.AddOperation(HttpMethod.Patch,
                Operation($"patch{id}", "patch", gvk, Parameters.Patch(), body, Written(schema, "201")));
        }
    }

    private OpenApiPathItem PathItem(string path, IEnumerable<IOpenApiParameter> parameters)
    {
        if (!Paths.TryGetValue(path, out OpenApiPathItem? item))
        {
            item = new OpenApiPathItem { Parameters = [.. parameters, Parameters.Pretty()] };
            Paths[path] = item;
        }

        return item;
    }

    private static IEnumerable<IOpenApiParameter> ItemParameters(ResourceDefinition resource) =>
        resource.Namespaced ? [Parameters.Name(resource.Kind), Parameters.Namespace()] : [Parameters.Name(resource.Kind)];

    private static OpenApiOperation Operation(
        string id, string action, GroupVersionKind gvk, IEnumerable<IOpenApiParameter> parameters, IOpenApiRequestBody? body, OpenApiResponses responses) =>
        new()
        {
            OperationId = id,
            Parameters = [.. parameters],
            RequestBody = body,
            Responses = responses,
            Extensions = new Dictionary<string, IOpenApiExtension>
            {
                [OpenApiExtensions.Action] = OpenApiExtensions.String(action),
                [OpenApiExtensions.GroupVersionKind] = OpenApiExtensions.Kind(gvk),
            },
        };

    private static OpenApiRequestBody Body(IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
        {
            ["*/*"] = new() { Schema = schema },
        },
    };

    private OpenApiRequestBody? DeleteBody() =>
        ModelTypes.Find(DeleteOptionsKind) is { } options
            ? new OpenApiRequestBody
            {
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["*/*"] = new() { Schema = _schemas.Reference(options) },
                },
            }
            : null;

    private IOpenApiSchema Status() => _schemas.Reference(ModelTypes.Find(StatusKind)!);

    private static OpenApiResponses Ok(IOpenApiSchema schema) => Responses(("200", "OK", schema, ResponseMediaTypes));

    /// <summary>200 plus the other success codes a write may answer with.</summary>
    private static OpenApiResponses Written(IOpenApiSchema schema, params string[] codes) =>
        Responses([("200", "OK", schema, ResponseMediaTypes), .. codes.Select(c => (c, c == "201" ? "Created" : "Accepted", schema, ResponseMediaTypes))]);

    private static OpenApiResponses Responses(params (string Code, string Description, IOpenApiSchema Schema, string[] MediaTypes)[] responses)
    {
        var result = new OpenApiResponses();
        foreach ((string code, string description, IOpenApiSchema schema, string[] mediaTypes) in responses)
        {
            result[code] = new OpenApiResponse
            {
                Description = description,
                Content = mediaTypes.ToDictionary(m => m, _ => new OpenApiMediaType { Schema = schema }),
            };
        }

        return result;
    }

    /// <summary>"CoreV1", "AppsV1", "NetworkingV1", "RbacAuthorizationV1": kube-apiserver's operation id prefix.</summary>
    private static string OperationIdPrefix(string group, string version)
    {
        string name = group.Length == 0 ? "core" : group.Replace(".k8s.io", "", StringComparison.Ordinal);
        return string.Concat(name.Split('.', '-').Select(Pascal)) + Pascal(version);
    }

    private static string Pascal(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
