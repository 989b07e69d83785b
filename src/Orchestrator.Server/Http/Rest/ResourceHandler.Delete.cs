using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http.Rest;

partial class ResourceHandler
{
    private static async Task DeleteAsync(RestRequest request)
    {
        var options = await ReadDeleteOptionsAsync(request);
        var result = await request.Store.DeleteAsync(request.Namespace, request.Name, options, request.Write(), request.Token);
        await request.RespondAsync(200, result);
    }

    private async Task DeleteCollectionAsync(RestRequest request)
    {
        var options = await ReadDeleteOptionsAsync(request);
        var (deleted, revision) = await request.Store.DeleteCollectionAsync(request.Namespace, ListOptionsOf(request), options, request.Write(), request.Token);
        var body = Rendering.For(request.Context.Request).List(request.Resource, deleted, revision.ToString(System.Globalization.CultureInfo.InvariantCulture), null, Now);
        await request.RespondAsync(200, body);
    }

    /// <summary>DeleteOptions from the body (kubectl sends one), with the query's gracePeriodSeconds and propagationPolicy as fallbacks.</summary>
    private static async Task<DeleteOptions> ReadDeleteOptionsAsync(RestRequest request)
    {
        JsonObject? body = null;
        var http = request.Context.Request;
        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(http.Body);
            var text = await reader.ReadToEndAsync(request.Token);
            if (text.Trim().Length > 0)
                body = RequestBody.ParseJson(System.Text.Encoding.UTF8.GetBytes(text)) as JsonObject
                    ?? throw ApiException.BadRequest("DeleteOptions must be a JSON object");
        }
        var options = DeleteOptions.FromJson(body);
        if (options.GracePeriodSeconds is null && long.TryParse(request.Query("gracePeriodSeconds"), out var grace))
            options = options with { GracePeriodSeconds = Math.Max(grace, 0) };
        if (options.PropagationPolicy is null && request.Query("propagationPolicy") is { Length: > 0 } policy)
            options = options with { PropagationPolicy = policy };
        return options;
    }
}
