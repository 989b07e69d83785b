using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Http;

namespace Orchestrator.Server.Resources;

partial class ResourceHandler
{
    private async Task GetAsync(ResourceRequest request)
    {
        var local = request.Context.Request.Query["resourceVersion"] == "0";
        var obj = await objects.GetAsync(request.Key, local, request.Token)
            ?? throw ApiException.NotFound(request.Resource.GroupResource, request.Info.Name!);
        var rendering = Rendering.For(request.Context.Request);
        await ApiResponses.WriteJsonAsync(request.Context, 200, rendering.One(request.Resource, obj, Now));
    }

    private async Task ListAsync(ResourceRequest request)
    {
        var options = ListOptions.Parse(request.Context.Request.Query, request.Resource);
        var rendering = Rendering.For(request.Context.Request);
        if (!rendering.AsTable && !options.IsFiltered)
        {
            await ListStoredAsync(request, options);
            return;
        }
        var (items, revision, lastKey) = await ReadMatchingAsync(request, options, request.Token);
        var continueToken = lastKey is null ? null : ListOptions.EncodeContinue(lastKey, revision);
        var body = rendering.List(request.Resource, items, revision.ToString(System.Globalization.CultureInfo.InvariantCulture), continueToken, Now);
        await ApiResponses.WriteJsonAsync(request.Context, 200, body);
    }

    /// <summary>
    /// A plain list with no selectors passes stored objects through: each gets its resourceVersion spliced in, none is
    /// parsed into a JsonObject and written back (for a page of 500 pods that was most of the time of a LIST).
    /// </summary>
    private async Task ListStoredAsync(ResourceRequest request, ListOptions options)
    {
        var page = await objects.ListStoredAsync(request.Prefix, options.ContinueAfterKey, options.Limit, options.LocalRead, request.Token);
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
        await writer.FlushAsync(request.Token);
    }

    /// <summary>
    /// Reads objects matching the selectors, at most options.Limit (0 = all). Filtering happens after
    /// reading, so a filtered page may take several store pages; lastKey is set when more may follow.
    /// </summary>
    private async Task<(List<JsonObject> Items, long Revision, string? LastKey)> ReadMatchingAsync(
        ResourceRequest request, ListOptions options, CancellationToken token)
    {
        var items = new List<JsonObject>();
        var startAfter = options.ContinueAfterKey;
        long revision = 0;
        var pageSize = options.Limit > 0 ? Math.Max(options.Limit, options.IsFiltered ? 500 : options.Limit) : 0;
        var local = options.LocalRead;
        while (true)
        {
            var (page, pageRevision, more) = await objects.ListAsync(request.Prefix, startAfter, pageSize, local, token);
            if (revision == 0)
                revision = pageRevision;
            local = true; // later pages continue from the state the first one saw at least
            foreach (var (key, obj) in page)
            {
                startAfter = key;
                if (!Matches(request, options, obj))
                    continue;
                items.Add(obj);
                if (options.Limit > 0 && items.Count == options.Limit)
                    return (items, revision, more || key != page[^1].Key ? key : null);
            }
            if (!more)
                return (items, revision, null);
        }
    }

    private static bool Matches(ResourceRequest request, ListOptions options, JsonObject obj) =>
        options.Labels.Matches(obj.Obj("metadata", "labels"))
        && (options.Fields.IsEverything || options.Fields.Matches(obj, request.Resource.FieldSelectors));
}
