using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Chaos.Proxy;

/// <summary>
/// The proxies and Toxiproxy's HTTP API over them (same paths, bodies and status codes: /proxies, /populate, /reset,
/// /version, /proxies/{name}/toxics...), so a Toxiproxy client can drive this server. Runs in-process for the chaos
/// runs, or alone with `chaos proxy`.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    public const string Version = "2.12.0-orchestrator";
    private readonly ConcurrentDictionary<string, ToxicProxy> proxies = new();
    private readonly WebApplication app;

    private ProxyServer(WebApplication app) => this.app = app;

    /// <summary>The API's base address, e.g. http://127.0.0.1:8474.</summary>
    public Uri Address { get; private set; } = null!;

    public IReadOnlyDictionary<string, ToxicProxy> Proxies => proxies;

    /// <param name="listen">Where the API listens; port 0 picks a free one.</param>
    public static async Task<ProxyServer> StartAsync(IPEndPoint listen, CancellationToken token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen));
        var app = builder.Build();
        var server = new ProxyServer(app);
        server.Map(app);
        await app.StartAsync(token);
        server.Address = new Uri(app.Urls.First());
        return server;
    }

    /// <summary>Creates and enables a proxy (what POST /proxies does).</summary>
    public ToxicProxy Create(string name, string listen, string upstream, bool enabled = true)
    {
        var proxy = new ToxicProxy(name, listen, upstream);
        if (!proxies.TryAdd(name, proxy))
            throw new ProxyApiException(409, "proxy already exists");
        if (enabled)
        {
            try
            {
                proxy.Enable();
            }
            catch
            {
                proxies.TryRemove(name, out _);
                throw;
            }
        }
        return proxy;
    }

    /// <summary>Every proxy enabled and every toxic removed (POST /reset).</summary>
    public void Reset()
    {
        foreach (var proxy in proxies.Values)
        {
            proxy.RemoveAllToxics();
            proxy.Enable();
        }
    }

    private void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/version", () => Results.Text(Version));
        api.MapPost("/reset", () =>
        {
            Reset();
            return Results.NoContent();
        });
        api.MapGet("/proxies", () => Json(200, new JsonObject(proxies.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.ToJson())))));
        api.MapPost("/proxies", (Delegate)((HttpContext context) => HandleAsync(context, async () =>
        {
            var body = await BodyAsync<JsonObject>(context);
            var proxy = Create(Required(body, "name"), Required(body, "listen"), Required(body, "upstream"), body["enabled"]?.GetValue<bool>() ?? true);
            return Json(201, proxy.ToJson());
        })));
        api.MapPost("/populate", (Delegate)((HttpContext context) => HandleAsync(context, async () =>
        {
            var body = await BodyAsync<JsonArray>(context);
            var made = new JsonArray();
            foreach (var item in body.OfType<JsonObject>())
            {
                var name = Required(item, "name");
                var enabled = item["enabled"]?.GetValue<bool>() ?? true;
                if (proxies.TryGetValue(name, out var existing))
                {
                    existing.Update(Text(item, "listen"), Text(item, "upstream"));
                    if (enabled) existing.Enable(); else existing.Disable();
                    made.Add(existing.ToJson());
                }
                else
                    made.Add(Create(name, Required(item, "listen"), Required(item, "upstream"), enabled).ToJson());
            }
            return Json(201, new JsonObject { ["proxies"] = made });
        })));
        api.MapGet("/proxies/{name}", (HttpContext context, string name) => HandleAsync(context, () => Task.FromResult(Json(200, Find(name).ToJson()))));
        api.MapPost("/proxies/{name}", (HttpContext context, string name) => HandleAsync(context, async () =>
        {
            var proxy = Find(name);
            var body = await BodyAsync<JsonObject>(context);
            proxy.Update(Text(body, "listen"), Text(body, "upstream"));
            if (body["enabled"] is JsonValue enabled)
            {
                if (enabled.GetValue<bool>()) proxy.Enable(); else proxy.Disable();
            }
            return Json(200, proxy.ToJson());
        }));
        api.MapDelete("/proxies/{name}", (HttpContext context, string name) => HandleAsync(context, async () =>
        {
            if (!proxies.TryRemove(name, out var proxy))
                throw new ProxyApiException(404, "proxy not found");
            await proxy.DisposeAsync();
            return Results.NoContent();
        }));
        api.MapGet("/proxies/{name}/toxics", (HttpContext context, string name) => HandleAsync(context, () =>
            Task.FromResult(Json(200, new JsonArray([.. Find(name).Toxics.Select(t => (JsonNode)t.ToJson())])))));
        api.MapPost("/proxies/{name}/toxics", (HttpContext context, string name) => HandleAsync(context, async () =>
        {
            var proxy = Find(name);
            var toxic = proxy.AddToxic(Toxic.FromJson(await BodyAsync<JsonObject>(context)));
            return Json(200, toxic.ToJson());
        }));
        api.MapGet("/proxies/{name}/toxics/{toxic}", (HttpContext context, string name, string toxic) => HandleAsync(context, () =>
            Task.FromResult(Json(200, (Find(name).Toxics.FirstOrDefault(t => t.Name == toxic) ?? throw new ProxyApiException(404, "toxic not found")).ToJson()))));
        api.MapPost("/proxies/{name}/toxics/{toxic}", (HttpContext context, string name, string toxic) => HandleAsync(context, async () =>
            Json(200, Find(name).UpdateToxic(toxic, await BodyAsync<JsonObject>(context)).ToJson())));
        api.MapDelete("/proxies/{name}/toxics/{toxic}", (HttpContext context, string name, string toxic) => HandleAsync(context, () =>
        {
            Find(name).RemoveToxic(toxic);
            return Task.FromResult(Results.NoContent());
        }));
    }

    private ToxicProxy Find(string name) => proxies.TryGetValue(name, out var proxy) ? proxy : throw new ProxyApiException(404, "proxy not found");

    private static async Task<IResult> HandleAsync(HttpContext context, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (ProxyApiException e)
        {
            return Json(e.Status, new JsonObject { ["error"] = e.Message, ["status"] = e.Status });
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A field of the wrong JSON type.
            return Json(400, new JsonObject { ["error"] = e.Message, ["status"] = 400 });
        }
    }

    private static async Task<T> BodyAsync<T>(HttpContext context) where T : JsonNode
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as T
                ?? throw new ProxyApiException(400, $"the body must be a JSON {(typeof(T) == typeof(JsonArray) ? "array" : "object")}");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ProxyApiException(400, $"bad request body: {e.Message}");
        }
    }

    private static string? Text(JsonObject body, string name) => body[name]?.GetValue<string>() is { Length: > 0 } text ? text : null;

    private static string Required(JsonObject body, string name) => Text(body, name) ?? throw new ProxyApiException(400, $"missing required field: {name}");

    private static IResult Json(int status, JsonNode body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (var proxy in proxies.Values)
            await proxy.DisposeAsync();
    }
}
