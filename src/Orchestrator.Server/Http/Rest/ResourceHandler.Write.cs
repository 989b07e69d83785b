using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http.Rest;

partial class ResourceHandler
{
    private static async Task CreateAsync(RestRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        var write = request.Write();
        var created = await request.Store.CreateAsync(request.Namespace, null, body, write, request.Token);
        await request.RespondAsync(201, created, write);
    }

    private static async Task UpdateAsync(RestRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        var write = request.Write();
        var (result, created) = await request.Store.UpdateAsync(request.Namespace, request.Name, body, write, request.Token);
        await request.RespondAsync(created ? 201 : 200, result, write);
    }

    private static async Task PatchAsync(RestRequest request)
    {
        var (type, patch) = await RequestBody.ReadPatchAsync(request.Context.Request, request.Token);
        var write = request.Write();
        var store = request.Store;
        var (result, created) = await store.PatchAsync(request.Namespace, request.Name, store.Patcher(type, patch, request.Name, write), write, request.Token);
        await request.RespondAsync(created ? 201 : 200, result, write);
    }
}
