using Orchestrator.Node.Images;
using Xunit;

namespace Orchestrator.Node.Tests.Images;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("busybox", "docker.io", "docker.io", "library/busybox", "latest", null)]
    [InlineData("busybox:1.36", "docker.io", "docker.io", "library/busybox", "1.36", null)]
    [InlineData("busybox", "127.0.0.1:5000", "127.0.0.1:5000", "busybox", "latest", null)]
    [InlineData("127.0.0.1:5000/busybox:latest", "docker.io", "127.0.0.1:5000", "busybox", "latest", null)]
    [InlineData("repo/name@" + Sha, "docker.io", "docker.io", "repo/name", null, Sha)]
    [InlineData("repo/name:v1@" + Sha, "127.0.0.1:5000", "127.0.0.1:5000", "repo/name", "v1", Sha)]
    [InlineData("localhost/app", "docker.io", "localhost", "app", "latest", null)]
    [InlineData("registry.k8s.io/pause:3.9", "docker.io", "registry.k8s.io", "pause", "3.9", null)]
    [InlineData("index.docker.io/nginx", "docker.io", "docker.io", "library/nginx", "latest", null)]
    public void Parses(string text, string defaultRegistry, string registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(text, defaultRegistry);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(digest ?? tag, reference.ManifestReference);
    }

    [Fact]
    public void PrintsTheNormalizedName() =>
        Assert.Equal("127.0.0.1:5000/busybox:latest", ImageReference.Parse("busybox", "127.0.0.1:5000").ToString());

    [Theory]
    [InlineData("")]
    [InlineData("Busybox")]
    [InlineData("busybox:")]
    [InlineData("busybox@sha256:abc")]
    [InlineData("busybox@md5:0123")]
    [InlineData("bad//name")]
    public void RejectsMalformed(string text) => Assert.Throws<FormatException>(() => ImageReference.Parse(text));
}
