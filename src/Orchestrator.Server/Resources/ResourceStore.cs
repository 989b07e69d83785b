using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Api.Apply;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Validation;
using Orchestrator.Server.Resources.Strategies;

namespace Orchestrator.Server.Resources;

/// <summary>
/// The store of one resource, built-in or custom, as kube's genericregistry.Store: every verb's rules (type meta,
/// system fields, defaults, validation, generation, managedFields, preconditions, graceful deletion, finalizers)
/// in one place, with what differs per kind asked of its <see cref="ResourceStrategy"/>. It knows nothing of HTTP:
/// the REST layer parses a request into these calls, and the server's own writers (bootstrap) call it directly.
/// </summary>
public sealed partial class ResourceStore
{
    private readonly ObjectStore objects;
    private readonly NamespaceLifecycle namespaces;
    private readonly TimeProvider clock;
    private readonly NameGenerator names = new(Random.Shared);

    public ResourceStore(ResourceDefinition resource, ResourceStrategy strategy, ObjectStore objects, NamespaceLifecycle namespaces, TimeProvider clock)
    {
        Resource = resource;
        Strategy = strategy;
        this.objects = objects;
        this.namespaces = namespaces;
        this.clock = clock;
    }

    public ResourceDefinition Resource { get; }

    public ResourceStrategy Strategy { get; }

    public ObjectStore Objects => objects;

    public DateTimeOffset Now => clock.GetUtcNow();

    public string Key(string? ns, string name) => ObjectStore.Key(Resource, ns, name);

    public string Prefix(string? ns) => ObjectStore.Prefix(Resource, ns);

    /// <summary>Whether objects are given this resource's version on the way out (see <see cref="ResourceStrategy.ServesSeveralVersions"/>).</summary>
    public bool ServesAsRequested => Strategy.ServesSeveralVersions;

    /// <summary>The object as this resource's version serves it: conversion None changes only apiVersion.</summary>
    private JsonObject AsServed(JsonObject obj)
    {
        if (ServesAsRequested)
            obj["apiVersion"] = Resource.GroupVersion.ToString();
        return obj;
    }

    public static long Revision(JsonObject obj) => ParseRevision(obj.Str("metadata", "resourceVersion"), "resourceVersion");

    public static long ParseRevision(string? text, string what) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw ApiException.BadRequest($"invalid {what}: {text}");

    /// <summary>fieldValidation: unknown fields are a 400 when Strict, a warning when Warn.</summary>
    public void CheckUnknownFields(JsonObject obj, WriteContext context)
    {
        if (context.FieldValidation == FieldValidationMode.Ignore)
            return;
        var unknown = Strategy.UnknownFields(Resource, obj);
        if (unknown.Count == 0)
            return;
        if (context.FieldValidation == FieldValidationMode.Strict)
            throw ApiException.BadRequest(Api.OpenApi.StrictFieldValidation.Message(unknown));
        context.Warnings.AddRange(unknown.Select(f => $"unknown field \"{f}\""));
    }

    /// <summary>managedFields for a write that is not an apply (apply recorded its own ownership).</summary>
    private void RecordManagedFields(JsonObject? old, JsonObject updated, WriteContext context)
    {
        if (!context.IsApply)
            ManagedFields.RecordUpdate(old, updated, context.FieldManager, Resource.GroupVersion.ToString(), Now, context.Subresource, Strategy.PatchSchema, inPlace: true);
    }

    private void Validate(JsonObject obj, JsonObject? old)
    {
        var errors = new FieldErrorList();
        ValidateMetadata(obj, errors);
        if (old is null)
            Strategy.Validate(obj, errors);
        else
            Strategy.ValidateUpdate(obj, old, errors);
        errors.ThrowIfAny(Resource.GroupKind, obj.Name());
    }

    private void ValidateMetadata(JsonObject obj, FieldErrorList errors)
    {
        var metadata = FieldPath.Root("metadata");
        ObjectMetaValidation.ValidateName(obj.Name(), obj.Str("metadata", "generateName"), Strategy.CheckName, metadata, errors);
        ObjectMetaValidation.ValidateLabels(obj.Obj("metadata", "labels"), metadata.Child("labels"), errors);
        ObjectMetaValidation.ValidateAnnotations(obj.Obj("metadata", "annotations"), metadata.Child("annotations"), errors);
    }

    /// <summary>apiVersion and kind must be this resource's when given; they are set, first, as Kubernetes prints them.</summary>
    private void CheckTypeMeta(JsonObject obj)
    {
        var apiVersion = obj.Str("apiVersion");
        var kind = obj.Str("kind");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != Resource.GroupVersion.ToString())
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({Resource.GroupVersion})");
        if (!string.IsNullOrEmpty(kind) && kind != Resource.Kind)
            throw Strategy.KindMismatch(Resource, kind);
        var rest = obj.Where(p => p.Key is not "apiVersion" and not "kind").Select(p => (p.Key, p.Value)).ToList();
        obj.Clear();
        obj["apiVersion"] = Resource.GroupVersion.ToString();
        obj["kind"] = Resource.Kind;
        foreach (var (name, value) in rest)
            obj[name] = value;
    }

    /// <summary>The object's namespace is the request's; cluster-scoped objects have none.</summary>
    private void SetNamespace(string? ns, JsonObject obj)
    {
        var metadata = obj.Metadata();
        if (!Resource.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }
        var urlNamespace = ns ?? throw ApiException.BadRequest("a namespace must be given in the URL for a namespaced resource");
        var bodyNamespace = metadata.Str("namespace");
        if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != urlNamespace)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        metadata["namespace"] = urlNamespace;
    }

    private static void CheckName(JsonObject obj, string? urlName)
    {
        if (urlName is not null && obj.Name() != urlName)
            throw ApiException.BadRequest($"the name of the object ({obj.Name()}) does not match the name on the URL ({urlName})");
    }

    private bool HasStatus => Resource.FindSubresource("status") is not null;

    private static bool SpecChanged(JsonObject current, JsonObject updated)
    {
        static JsonObject WithoutMetaAndStatus(JsonObject obj) =>
            new(obj.Where(p => p.Key is not "metadata" and not "status").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        return !JsonNode.DeepEquals(WithoutMetaAndStatus(current), WithoutMetaAndStatus(updated));
    }

    /// <summary>Equal but for resourceVersion and managedFields timestamps: the write would change nothing.</summary>
    private static bool SameContent(JsonObject current, JsonObject updated)
    {
        static JsonNode Normalized(JsonObject obj)
        {
            var copy = (JsonObject)obj.DeepClone();
            if (copy["metadata"] is JsonObject metadata)
            {
                metadata.Remove("resourceVersion");
                foreach (var entry in metadata.Arr("managedFields")?.OfType<JsonObject>() ?? [])
                    entry.Remove("time");
            }
            return copy;
        }
        return JsonNode.DeepEquals(Normalized(current), Normalized(updated));
    }
}
