using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Node.Images;
using Xunit;

namespace Orchestrator.Node.Tests.Images;

/// <summary>Token-auth challenges (distribution token spec), against a scripted HTTP handler: Debian's registry runs without auth.</summary>
public sealed class RegistryAuthTests
{
    private const string Registry = "registry.test";

    [Fact]
    public async Task AnswersABearerChallengeWithAnAnonymousToken()
    {
        var manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2},"layers":[]}""");
        var handler = new ScriptedHandler(request =>
        {
            if (request.RequestUri!.Host == "auth.test")
            {
                Assert.Equal("?service=registry.test&scope=repository%3Aapp%3Apull", request.RequestUri.Query);
                return Json("""{"token":"secret-token"}""");
            }
            if (request.Headers.Authorization is not { Scheme: "Bearer", Parameter: "secret-token" })
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer",
                    "realm=\"https://auth.test/token\",service=\"registry.test\",scope=\"repository:app:pull\""));
                return challenge;
            }
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(manifest) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
            return response;
        });
        var client = new RegistryClient(new HttpClient(handler), new RegistryOptions { DefaultRegistry = Registry });

        var resolved = await client.ResolveAsync(ImageReference.Parse("app", Registry), CancellationToken.None);

        Assert.Equal(Digest.Compute(manifest), resolved.Blob.Digest);
        Assert.Equal(["GET https://registry.test/v2/app/manifests/latest", "GET https://auth.test/token?service=registry.test&scope=repository%3Aapp%3Apull",
            "GET https://registry.test/v2/app/manifests/latest"], handler.Seen);
    }

    [Fact]
    public async Task RefusedCredentialsAreUnauthorized()
    {
        var handler = new ScriptedHandler(_ =>
        {
            var refused = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"errors":[{"code":"UNAUTHORIZED"}]}""") };
            refused.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"registry\""));
            return refused;
        });
        var client = new RegistryClient(new HttpClient(handler), new RegistryOptions { DefaultRegistry = Registry });

        var error = await Assert.ThrowsAsync<ImagePullException>(() => client.ResolveAsync(ImageReference.Parse("app", Registry), CancellationToken.None));

        Assert.Equal(ImagePullFailure.Unauthorized, error.Reason);
        Assert.StartsWith("failed to pull and unpack image \"registry.test/app:latest\": unexpected status", error.Message);
    }

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<string> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Seen)
                Seen.Add($"{request.Method} {request.RequestUri}");
            var response = respond(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
