using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;

namespace Orchestrator.Server.Http;

/// <summary>/openapi/v3 and its group-version documents, generated from the resource registry.</summary>
public sealed class OpenApiEndpoint
{
    public Task ServeAsync(HttpContext context, string path, RegistrySnapshot registry) =>
        throw new ApiException(Status.Failed(404, StatusReasons.NotFound, "the server could not find the requested resource"));
}
