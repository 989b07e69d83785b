using System.Text.Json.Nodes;

namespace Orchestrator.Client;

/// <summary>The body of a DELETE (meta/v1 DeleteOptions). Null members are not sent.</summary>
public sealed record DeleteOptions
{
    /// <summary>"Background", "Foreground" or "Orphan".</summary>
    public string? PropagationPolicy { get; init; }

    public long? GracePeriodSeconds { get; init; }

    /// <summary>Delete only if the object still has this uid (guards against a recreated namesake).</summary>
    public string? PreconditionUid { get; init; }

    /// <summary>Delete only if the object is still at this resourceVersion.</summary>
    public string? PreconditionResourceVersion { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1" };
        if (PropagationPolicy is not null)
            json["propagationPolicy"] = PropagationPolicy;
        if (GracePeriodSeconds is { } grace)
            json["gracePeriodSeconds"] = grace;
        if (PreconditionUid is not null || PreconditionResourceVersion is not null)
        {
            var preconditions = new JsonObject();
            if (PreconditionUid is not null)
                preconditions["uid"] = PreconditionUid;
            if (PreconditionResourceVersion is not null)
                preconditions["resourceVersion"] = PreconditionResourceVersion;
            json["preconditions"] = preconditions;
        }
        return json;
    }
}
