using Orchestrator.Api.Errors;
using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Registry;

namespace Orchestrator.Server.Http;

/// <summary>
/// /openapi/v3 and its group-version documents, generated from the resource registry. Building takes
/// a fraction of a second, so documents are built once per registry generation and shared.
/// </summary>
public sealed class OpenApiEndpoint
{
    private readonly ModelDocumentation documentation = ModelDocumentation.BesideAssembly();
    private readonly SemaphoreSlim building = new(1, 1);
    private Built? cached;

    public async Task ServeAsync(HttpContext context, string path, RegistrySnapshot registry)
    {
        var documents = await DocumentsAsync(registry, context.RequestAborted);
        if (path == "/openapi/v3")
        {
            await WriteAsync(context, documents.Index);
            return;
        }
        const string prefix = "/openapi/v3/";
        if (path.StartsWith(prefix, StringComparison.Ordinal) && documents.Find(path[prefix.Length..]) is { } document)
        {
            // The hash in the URL names this exact content; clients may cache it for good.
            if (context.Request.Query.ContainsKey("hash"))
                context.Response.Headers.CacheControl = "public, immutable";
            context.Response.Headers.ETag = $"\"{document.Hash}\"";
            await WriteAsync(context, document.Json);
            return;
        }
        throw new ApiException(Status.Failed(404, StatusReasons.NotFound, "the server could not find the requested resource"));
    }

    private async Task<OpenApiDocuments> DocumentsAsync(RegistrySnapshot registry, CancellationToken token)
    {
        if (Volatile.Read(ref cached) is { } hit && hit.Generation == registry.Generation)
            return hit.Documents;
        await building.WaitAsync(token);
        try
        {
            if (cached is { } again && again.Generation == registry.Generation)
                return again.Documents;
            var documents = await Task.Run(() => OpenApiDocuments.Build(registry, documentation), token);
            Volatile.Write(ref cached, new Built(registry.Generation, documents));
            return documents;
        }
        finally
        {
            building.Release();
        }
    }

    private static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private sealed record Built(long Generation, OpenApiDocuments Documents);
}
