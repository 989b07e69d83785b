using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Http.Rest;

/// <summary>POST pods/{name}/binding: sets spec.nodeName once, with the PodScheduled condition.</summary>
public sealed class BindingRest(TimeProvider clock) : ISubresourceRest
{
    public async Task HandleAsync(RestRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        var node = body.Str("target", "name");
        if (string.IsNullOrEmpty(node))
            throw ApiException.Invalid(new("", "Binding"), request.Name, [new FieldError("target.name", FieldErrorType.Required, null, "", HasValue: false)]);
        var resource = request.Resource.GroupResource;
        var write = request.Write("binding");
        // A pod changed since it was read (the scheduler marked it Unschedulable) is bound on the fresh copy.
        var (bound, _) = await request.Store.GuaranteedUpdateAsync(request.Namespace, request.Name, null, current =>
        {
            if (body.Str("metadata", "uid") is { Length: > 0 } uid && uid != current.Uid())
                throw ApiException.Conflict(resource, request.Name, "the UID in the binding does not match the pod");
            if (current.Str("spec", "nodeName") is { Length: > 0 } already)
                throw ApiException.Conflict(resource, request.Name, $"pod {request.Name} is already assigned to node \"{already}\"");
            if (current.IsDeleting())
                throw ApiException.Conflict(resource, request.Name, "the pod is being deleted");
            var updated = (JsonObject)current.DeepClone();
            updated.Metadata().Remove("resourceVersion");
            updated.Child("spec")["nodeName"] = node;
            var conditions = updated.Child("status")["conditions"] as JsonArray ?? [];
            var scheduled = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PodScheduled");
            if (scheduled is null)
            {
                scheduled = new JsonObject { ["type"] = "PodScheduled" };
                conditions.Add(scheduled);
            }
            scheduled["status"] = "True";
            scheduled["lastProbeTime"] = null;
            scheduled["lastTransitionTime"] = Json.Timestamp(clock.GetUtcNow());
            scheduled.Remove("reason");
            scheduled.Remove("message");
            updated.Child("status")["conditions"] = conditions.Parent is null ? conditions : conditions.DeepClone();
            return updated;
        }, write, request.Token);
        var success = ApiResponses.Success(request.Name, "", "pods", bound.Uid());
        success.Remove("details");
        await request.RespondAsync(201, success);
    }
}
