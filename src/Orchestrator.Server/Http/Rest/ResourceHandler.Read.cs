using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http.Rest;

partial class ResourceHandler
{
    private async Task GetAsync(RestRequest request)
    {
        var obj = await request.Store.GetAsync(request.Namespace, request.Name, local: request.Query("resourceVersion") == "0", request.Token);
        await request.RespondAsync(200, Rendering.For(request.Context.Request).One(request.Resource, obj, Now));
    }

    private async Task ListAsync(RestRequest request)
    {
        var options = ListOptionsOf(request);
        var rendering = Rendering.For(request.Context.Request);
        if (!rendering.AsTable && !options.IsFiltered && !request.Store.ServesAsRequested)
        {
            await ListStoredAsync(request, options);
            return;
        }
        var (items, revision, lastKey) = await request.Store.ListAsync(request.Namespace, options, request.Token);
        var continueToken = lastKey is null ? null : ListOptions.EncodeContinue(lastKey, revision);
        var body = rendering.List(request.Resource, items, revision.ToString(System.Globalization.CultureInfo.InvariantCulture), continueToken, Now);
        await request.RespondAsync(200, body);
    }

    /// <summary>
    /// A plain list with no selectors passes stored objects through: each gets its resourceVersion spliced in, none is
    /// parsed into a JsonObject and written back (for a page of 500 pods that was most of the time of a LIST).
    /// </summary>
    private static async Task ListStoredAsync(RestRequest request, ListOptions options)
    {
        var page = await request.Store.ListStoredAsync(request.Namespace, options, request.Token);
        var revision = page.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var context = request.Context;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await using var writer = new System.Text.Json.Utf8JsonWriter(context.Response.BodyWriter, ApiResponses.Writer);
        writer.WriteStartObject();
        writer.WriteString("kind", request.Resource.ListKind);
        writer.WriteString("apiVersion", request.Resource.GroupVersion.ToString());
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", revision);
        if (page.More && page.Items.Count > 0)
            writer.WriteString("continue", ListOptions.EncodeContinue(page.Items[^1].Key, page.Revision));
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        foreach (var item in page.Items)
        {
            writer.WriteRawValue(StoredJson.WithResourceVersion(item.Value, item.ModRevision), skipInputValidation: true);
            if (writer.BytesPending > 64 * 1024)
                await writer.FlushAsync(request.Token);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await ApiResponses.EndBodyAsync(context, writer, request.Token);
    }
}
