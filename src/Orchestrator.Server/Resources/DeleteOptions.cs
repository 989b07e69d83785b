using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Resources;

/// <summary>meta/v1 DeleteOptions, as the store uses them (the HTTP layer reads them from the body or the query).</summary>
public sealed record DeleteOptions(string? PropagationPolicy, long? GracePeriodSeconds, bool? OrphanDependents, Preconditions? Preconditions, bool DryRun)
{
    public static DeleteOptions None { get; } = new(null, null, null, null, false);

    /// <summary>Parses a DeleteOptions object (a request body, or an Eviction's deleteOptions).</summary>
    public static DeleteOptions FromJson(JsonObject? body) => new(
        body.Str("propagationPolicy"),
        body.Long("gracePeriodSeconds") is { } grace ? Math.Max(grace, 0) : null,
        body?["orphanDependents"] is JsonValue o && o.TryGetValue(out bool b) ? b : null,
        Preconditions.FromJson(body.Obj("preconditions")),
        body.Arr("dryRun")?.Any(d => d?.GetValue<string>() == "All") == true);

    /// <summary>The finalizer a propagation policy adds, if any.</summary>
    public string? PropagationFinalizer()
    {
        var policy = PropagationPolicy ?? (OrphanDependents == true ? "Orphan" : null);
        return policy switch
        {
            "Orphan" => "orphan",
            "Foreground" => "foregroundDeletion",
            null or "Background" => null,
            _ => throw ApiException.BadRequest($"propagationPolicy {policy} is not one of Orphan, Foreground, Background"),
        };
    }
}

/// <summary>What must still hold for a write to go ahead: the object's uid and resourceVersion as the client last saw them.</summary>
public sealed record Preconditions(string? Uid, string? ResourceVersion)
{
    public static Preconditions? FromJson(JsonObject? preconditions) =>
        preconditions is null ? null : new(preconditions.Str("uid"), preconditions.Str("resourceVersion"));

    public void Check(GroupResource resource, JsonObject current)
    {
        var currentUid = current.Str("metadata", "uid");
        if (!string.IsNullOrEmpty(Uid) && Uid != currentUid)
            throw ApiException.Conflict(resource, current.Name(), $"Precondition failed: UID in precondition: {Uid}, UID in object meta: {currentUid}");
        var currentRv = current.Str("metadata", "resourceVersion");
        if (!string.IsNullOrEmpty(ResourceVersion) && ResourceVersion != currentRv)
            throw ApiException.Conflict(resource, current.Name(), $"Precondition failed: ResourceVersion in precondition: {ResourceVersion}, ResourceVersion in object meta: {currentRv}");
    }
}
