using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchestrator.Node.Images;

/// <summary>Sending requests: bearer-token challenges (distribution token auth) and mapping failures to <see cref="ImagePullException"/>.</summary>
public sealed partial class RegistryClient
{
    // Tokens per registry and scope; this client's own cache, so two stores never share credentials by accident.
    private readonly ConcurrentDictionary<string, string> tokens = new(StringComparer.Ordinal);

    private async Task<HttpResponseMessage> SendAsync(ImageReference reference, Func<HttpRequestMessage> create, CancellationToken token,
        string actions = "pull")
    {
        var scopeKey = $"{reference.Registry}/{reference.Repository}:{actions}";
        var response = await SendOnceAsync(reference, create, scopeKey, token).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || BearerChallenge(response) is not { } challenge)
            return response;

        response.Dispose();
        tokens[scopeKey] = await FetchTokenAsync(reference, challenge, actions, token).ConfigureAwait(false);
        return await SendOnceAsync(reference, create, scopeKey, token).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(ImageReference reference, Func<HttpRequestMessage> create, string scopeKey,
        CancellationToken token)
    {
        using var request = create();
        if (tokens.TryGetValue(scopeKey, out var bearer))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ImagePullException(ImagePullFailure.Network, reference.ToString(),
                $"failed to do request: {request.Method} \"{request.RequestUri}\": {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!token.IsCancellationRequested)
        {
            // HttpClient.Timeout, not our caller: the registry is too slow to answer.
            throw new ImagePullException(ImagePullFailure.Network, reference.ToString(),
                $"failed to do request: {request.Method} \"{request.RequestUri}\": timeout", e);
        }
    }

    private static Dictionary<string, string>? BearerChallenge(HttpResponseMessage response)
    {
        var header = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (header?.Parameter is not { } parameter)
            return null;
        var values = ChallengeParameter().Matches(parameter).ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
        return values.ContainsKey("realm") ? values : null;
    }

    private async Task<string> FetchTokenAsync(ImageReference reference, Dictionary<string, string> challenge, string actions, CancellationToken token)
    {
        var query = new List<string>();
        if (challenge.TryGetValue("service", out var service))
            query.Add("service=" + Uri.EscapeDataString(service));
        query.Add("scope=" + Uri.EscapeDataString($"repository:{reference.Repository}:{actions}"));
        var url = challenge["realm"] + (challenge["realm"].Contains('?') ? "&" : "?") + string.Join('&', query);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ImagePullException(ImagePullFailure.Network, reference.ToString(), $"failed to fetch anonymous token: {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new ImagePullException(ImagePullFailure.Unauthorized, reference.ToString(),
                    $"failed to fetch anonymous token: unexpected status from GET request to {challenge["realm"]}: {(int)response.StatusCode} {response.ReasonPhrase}");
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false));
            var root = document.RootElement;
            if (root.TryGetProperty("token", out var value) || root.TryGetProperty("access_token", out value))
                return value.GetString() ?? "";
            throw new ImagePullException(ImagePullFailure.Unauthorized, reference.ToString(), "token server answered without a token");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string image, CancellationToken token)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        var detail = $"unexpected status from {response.RequestMessage?.Method} request to {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {response.ReasonPhrase} {Truncate(body)}".TrimEnd();
        var reason = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ImagePullFailure.Unauthorized,
            HttpStatusCode.NotFound => ImagePullFailure.NotFound,
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                => ImagePullFailure.Network,
            _ => ImagePullFailure.Registry,
        };
        throw new ImagePullException(reason, image, detail);
    }

    private static string Truncate(string text) => text.Length <= 512 ? text.Trim() : text[..512] + "...";

    [GeneratedRegex("""(\w+)="([^"]*)"?""")]
    private static partial Regex ChallengeParameter();
}
