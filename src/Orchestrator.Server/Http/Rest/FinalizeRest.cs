using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http.Rest;

/// <summary>
/// PUT namespaces/{name}/finalize: only spec.finalizers changes (the namespace controller removes "kubernetes" there);
/// a terminating namespace with no finalizers left is then deleted by the store.
/// </summary>
public sealed class FinalizeRest : ISubresourceRest
{
    public async Task HandleAsync(RestRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        var write = request.Write("finalize");
        var (result, _) = await request.Store.GuaranteedUpdateAsync(request.Namespace, request.Name, null, current =>
        {
            var updated = (System.Text.Json.Nodes.JsonObject)current.DeepClone();
            if (body.Arr("spec", "finalizers") is { } finalizers)
                updated.Child("spec")["finalizers"] = finalizers.DeepClone();
            else
                updated.Child("spec").Remove("finalizers");
            if (body.Str("metadata", "resourceVersion") is { Length: > 0 } given)
                updated.Metadata()["resourceVersion"] = given;
            return updated;
        }, write, request.Token);
        await request.RespondAsync(200, result, write);
    }
}
