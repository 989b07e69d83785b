using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;
using Orchestrator.Api.Validation;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>
/// What differs per kind on the one generic store: name rules, defaults, validation, how status and deletion behave,
/// and side effects such as allocating a service IP. <see cref="ResourceStore"/> does everything else.
/// </summary>
public class ResourceStrategy
{
    public static ResourceStrategy Default { get; } = new();

    /// <summary>Whether spec changes count up metadata.generation (controller kinds and custom resources do).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether PUT of an absent object creates it (Endpoints, Lease, Event), as kube's AllowCreateOnUpdate.</summary>
    public bool AllowsCreateOnUpdate { get; init; }

    /// <summary>How lists merge for strategic merge patch and server-side apply.</summary>
    public PatchSchema PatchSchema { get; init; } = PatchSchema.Kubernetes;

    /// <summary>Strategic merge patch needs Go struct tags; custom resources answer it with 415, as kube does.</summary>
    public bool SupportsStrategicMerge { get; init; } = true;

    /// <summary>
    /// Whether one stored object is served in several versions (a CRD's, conversion None): reads then answer with the
    /// requested apiVersion, so stored bytes cannot pass through as they are.
    /// </summary>
    public bool ServesSeveralVersions { get; init; }

    /// <summary>
    /// Whether spec.selector is a plain label map (a ReplicationController's) rather than a LabelSelector object; the
    /// scale subresource reads it accordingly.
    /// </summary>
    public virtual bool SelectorIsMap => false;

    /// <summary>The rule names of this kind must follow (DNS-1123 subdomain for most).</summary>
    public virtual IReadOnlyList<string> CheckName(string name) => NameValidation.CheckDns1123Subdomain(name);

    /// <summary>Whether a create may set status (nodes register with theirs); most kinds start with none.</summary>
    public virtual bool KeepsStatusOnCreate => false;

    /// <summary>Fields the client sent that the kind's schema lacks (fieldValidation); empty when it has no schema.</summary>
    public virtual IReadOnlyList<string> UnknownFields(Api.Registry.ResourceDefinition resource, JsonObject obj) =>
        Api.OpenApi.StrictFieldValidation.UnknownFields(resource, obj);

    /// <summary>The answer to a body of another kind: a typed decoder's 400 for built-ins.</summary>
    public virtual ApiException KindMismatch(Api.Registry.ResourceDefinition resource, string kind) =>
        ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");

    /// <summary>Puts what the client sent in stored form before anything else looks at it (quantities "1000m" as "1").</summary>
    public virtual void Canonicalize(JsonObject obj) => PodSpecRules.NormalizeQuantities(obj);

    /// <summary>Fills in defaults, on create and on every update (defaulting is idempotent).</summary>
    public virtual void ApplyDefaults(JsonObject obj)
    {
    }

    /// <summary>Kind-specific changes at create, after defaulting (e.g. a pod's initial status).</summary>
    public virtual void PrepareForCreate(JsonObject obj)
    {
    }

    /// <summary>Kind-specific carry-over from the stored object at update (e.g. an immutable cluster IP).</summary>
    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
    }

    public virtual void Validate(JsonObject obj, FieldErrorList errors)
    {
    }

    public virtual void ValidateUpdate(JsonObject obj, JsonObject old, FieldErrorList errors) => Validate(obj, errors);

    /// <summary>A write through .../status: <paramref name="obj"/> is the stored object with the sent status; check that status.</summary>
    public virtual void ValidateStatusUpdate(JsonObject obj, JsonObject old, FieldErrorList errors)
    {
    }

    /// <summary>
    /// Called by delete before the generic rules (finalizers): returns the object marked for a graceful or held
    /// deletion, or null when this kind has nothing of its own to do (a bound pod waits for its node; a namespace
    /// always goes Terminating first).
    /// </summary>
    public virtual JsonObject? MarkForDeletion(JsonObject marked, JsonObject current, DeleteOptions options, DateTimeOffset now) => null;

    /// <summary>Whether a marked object with no finalizers left is still held by something of its kind (a namespace's spec.finalizers).</summary>
    public virtual bool HoldsDeletion(JsonObject obj) => false;

    /// <summary>Reserves what the object needs from shared pools before it is stored.</summary>
    public virtual Task BeforeCreateAsync(JsonObject obj, ObjectStore store, CancellationToken token) => Task.CompletedTask;

    /// <summary>Reserves what an update newly needs (a node port when a service becomes NodePort).</summary>
    public virtual Task BeforeUpdateAsync(JsonObject obj, JsonObject old, ObjectStore store, CancellationToken token) => Task.CompletedTask;

    /// <summary>Releases what <paramref name="before"/> held and <paramref name="after"/> no longer does.</summary>
    public virtual Task ReleaseDroppedAsync(JsonObject before, JsonObject after, ObjectStore store, CancellationToken token) => Task.CompletedTask;

    /// <summary>Releases what <see cref="BeforeCreateAsync"/> or the stored object held, when it is gone or never came.</summary>
    public virtual Task ReleaseAsync(JsonObject obj, ObjectStore store, CancellationToken token) => Task.CompletedTask;
}
