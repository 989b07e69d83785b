using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>
/// What differs per kind on the one generic write path: name rules, defaults, validation and
/// side effects such as allocating a service IP. The handler does everything else.
/// </summary>
public class ResourceStrategy
{
    public static ResourceStrategy Default { get; } = new();

    /// <summary>The rule names of this kind must follow (DNS-1123 subdomain for most).</summary>
    public virtual IReadOnlyList<string> CheckName(string name) => NameValidation.CheckDns1123Subdomain(name);

    /// <summary>Whether a create may set status (nodes register with theirs); most kinds start with none.</summary>
    public virtual bool KeepsStatusOnCreate => false;

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

    /// <summary>Reserves what the object needs from shared pools before it is stored.</summary>
    public virtual Task BeforeCreateAsync(JsonObject obj, ObjectStore store, CancellationToken token) => Task.CompletedTask;

    /// <summary>Reserves what an update newly needs (a node port when a service becomes NodePort).</summary>
    public virtual Task BeforeUpdateAsync(JsonObject obj, JsonObject old, ObjectStore store, CancellationToken token) => Task.CompletedTask;

    /// <summary>Releases what <paramref name="before"/> held and <paramref name="after"/> no longer does.</summary>
    public virtual Task ReleaseDroppedAsync(JsonObject before, JsonObject after, ObjectStore store, CancellationToken token) => Task.CompletedTask;

    /// <summary>Releases what <see cref="BeforeCreateAsync"/> or the stored object held, when it is gone or never came.</summary>
    public virtual Task ReleaseAsync(JsonObject obj, ObjectStore store, CancellationToken token) => Task.CompletedTask;
}
