using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Client.Config;
using Orchestrator.Client.Http;

namespace Orchestrator.Client;

/// <summary>
/// A client of one API server endpoint. Every resource goes through the same generic methods with
/// <see cref="JsonObject"/> bodies; typed access is a thin layer on top (<see cref="Resource{T}"/>).
/// Thread-safe; share one per endpoint. Non-2xx answers throw <see cref="KubeApiException"/>.
/// </summary>
public sealed partial class KubeClient : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient http;
    private readonly KubeClientOptions options;
    private readonly SemaphoreSlim? requestSlots;

    public KubeClient(Uri server, HttpMessageHandler handler, KubeClientOptions? options = null, bool disposeHandler = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(handler);
        this.options = options ?? new KubeClientOptions();
        if (this.options.MaxConcurrentRequests > 0)
            requestSlots = new SemaphoreSlim(this.options.MaxConcurrentRequests);
        Server = server;
        http = new HttpClient(handler, disposeHandler)
        {
            BaseAddress = server,
            // Watches stay open for minutes; ordinary requests get options.RequestTimeout each instead.
            Timeout = Timeout.InfiniteTimeSpan,
            // HTTP/2 when the server offers it over ALPN, else HTTP/1.1.
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    /// <summary>A client for one kubeconfig context: its server, its CA only, its client certificate or token.</summary>
    public KubeClient(Kubeconfig config, KubeClientOptions? options = null)
        : this(config.Server, Handler(config, options), WithConfig(options ?? new KubeClientOptions(), config))
    {
        CertificateAuthorityPem = config.CertificateAuthorityPem;
    }

    public Uri Server { get; }

    /// <summary>
    /// The cluster CA (PEM) of the kubeconfig this client was made from; null when made from a bare handler or the
    /// kubeconfig names none. A node agent trusts it for the client certificates that reach its endpoint.
    /// </summary>
    public string? CertificateAuthorityPem { get; }

    /// <summary>The kubeconfig context's namespace, or "default".</summary>
    public string DefaultNamespace => options.DefaultNamespace;

    public static async Task<KubeClient> FromKubeconfigAsync(string path, string? context = null, KubeClientOptions? options = null,
        CancellationToken token = default)
    {
        var config = await Kubeconfig.LoadAsync(path, context, token).ConfigureAwait(false);
        return new KubeClient(config, options);
    }

    public void Dispose()
    {
        http.Dispose();
        requestSlots?.Dispose();
    }

    private static HttpMessageHandler Handler(Kubeconfig config, KubeClientOptions? options)
    {
        var tls = TlsHandler.Create(config);
        if (options?.FailOver != true || config.OtherServers.Count == 0)
            return tls;
        // A machine that is gone does not refuse: bound the connect, so the next replica is tried soon.
        tls.ConnectTimeout = TimeSpan.FromSeconds(5);
        return new Http.FailoverHandler([config.Server, .. config.OtherServers]) { InnerHandler = tls };
    }

    private static KubeClientOptions WithConfig(KubeClientOptions options, Kubeconfig config) => options with
    {
        BearerToken = options.BearerToken ?? config.Token,
        DefaultNamespace = config.Namespace,
    };

    /// <summary>
    /// Sends a request and returns the decoded JSON object of a 2xx answer. 429/503 with Retry-After are
    /// retried up to <see cref="KubeClientOptions.MaxRetries"/> times; other failures throw.
    /// </summary>
    /// <param name="accept">The Accept header when not plain JSON (aggregated discovery asks for its own media type).</param>
    internal async Task<JsonObject> SendAsync(HttpMethod method, string pathAndQuery, JsonNode? body, string? contentType, CancellationToken token,
        string? accept = null)
    {
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body);
        if (requestSlots is not null)
            await requestSlots.WaitAsync(token).ConfigureAwait(false);
        try
        {
            using var response = await SendWithRetriesAsync(() => NewRequest(method, pathAndQuery, payload, contentType, accept),
                HttpCompletionOption.ResponseContentRead, options.RequestTimeout, token).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonNode.ParseAsync(stream, cancellationToken: token).ConfigureAwait(false) as JsonObject
                       ?? throw new JsonException($"{method} {pathAndQuery}: the response is not a JSON object");
            }
        }
        finally
        {
            requestSlots?.Release();
        }
    }

    /// <summary>The retry loop shared by ordinary requests and watch starts; the caller owns the returned 2xx response.</summary>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(Func<HttpRequestMessage> newRequest, HttpCompletionOption completion,
        TimeSpan? timeout, CancellationToken token)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (timeout is { } t)
                deadline.CancelAfter(t);
            using var request = newRequest();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, completion, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!token.IsCancellationRequested)
            {
                throw new TimeoutException($"{request.Method} {request.RequestUri} took longer than {timeout}", e);
            }
            if (response.IsSuccessStatusCode)
                return response;
            using (response)
            {
                if (attempt < options.MaxRetries && RetryDelay(response) is { } delay)
                {
                    await Task.Delay(delay, options.TimeProvider, token).ConfigureAwait(false);
                    continue;
                }
                throw await StatusDecoding.ToExceptionAsync(response, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How long to wait before retrying, or null when the answer is not retryable.</summary>
    private TimeSpan? RetryDelay(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
            return null;
        var retryAfter = response.Headers.RetryAfter;
        TimeSpan? delay = retryAfter?.Delta
                          ?? (retryAfter?.Date is { } date ? date - options.TimeProvider.GetUtcNow() : null);
        if (delay is null)
            return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string pathAndQuery, byte[]? payload, string? contentType, string? accept = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (accept is null)
            request.Headers.Accept.Add(AcceptJson);
        else
            request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.UserAgent.ParseAdd(options.UserAgent);
        if (options.BearerToken is { } bearer)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (payload is not null)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }
        return request;
    }
}
