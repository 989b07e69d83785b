namespace Orchestrator.Server.Http.Rest;

/// <summary>GET, PUT and PATCH of .../status: only status changes; everything else stays as stored.</summary>
public sealed class StatusRest : ISubresourceRest
{
    public async Task HandleAsync(RestRequest request)
    {
        var store = request.Store;
        if (request.Info.Verb == "get")
        {
            await request.RespondAsync(200, await store.GetAsync(request.Namespace, request.Name, local: request.Query("resourceVersion") == "0", request.Token));
            return;
        }
        var write = request.Write("status");
        Func<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject> source;
        if (request.Info.Verb == "patch")
        {
            var (type, patch) = await RequestBody.ReadPatchAsync(request.Context.Request, request.Token);
            var patcher = store.Patcher(type, patch, request.Name, write);
            source = current =>
            {
                var patched = patcher(current);
                // A patch pins the revision only when it sets one of its own.
                if (patched.Str("metadata", "resourceVersion") == current.Str("metadata", "resourceVersion"))
                    patched.Metadata().Remove("resourceVersion");
                return patched;
            };
        }
        else
        {
            var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
            source = _ => body;
        }
        var result = await store.UpdateStatusAsync(request.Namespace, request.Name, source, write, request.Token);
        await request.RespondAsync(200, result, write);
    }
}
