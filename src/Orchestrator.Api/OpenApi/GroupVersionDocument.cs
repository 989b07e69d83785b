namespace Orchestrator.Api.OpenApi;

/// <summary>
/// One served OpenAPI v3 document, e.g. for "apis/apps/v1" at /openapi/v3/apis/apps/v1.
/// </summary>
/// <param name="Path">The key in the /openapi/v3 index: "api/v1", "apis/apps/v1".</param>
/// <param name="Json">The document as UTF-8 JSON.</param>
/// <param name="Hash">Uppercase hex SHA-256 of <paramref name="Json"/>; the index links ?hash=it so clients can cache by URL.</param>
public sealed record GroupVersionDocument(string Path, ReadOnlyMemory<byte> Json, string Hash)
{
    /// <summary>The URL the index points at, e.g. "/openapi/v3/apis/apps/v1?hash=AB12...".</summary>
    public string ServerRelativeUrl => $"/openapi/v3/{Path}?hash={Hash}";
}
