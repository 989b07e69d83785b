using System.Text.RegularExpressions;

namespace Orchestrator.Node.Images;

/// <summary>
/// A parsed image name: registry host, repository path, and a tag or a digest (or both), as Docker and
/// containerd read them. A first path component is a registry host when it has a '.' or ':' or is
/// "localhost"; otherwise the default registry applies. Docker Hub's single-component names live under
/// "library/".
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";
    public const string DefaultTag = "latest";

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>host[:port], e.g. "127.0.0.1:5000" or "docker.io".</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry, e.g. "library/busybox".</summary>
    public string Repository { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>What goes after /manifests/ in the distribution API: the digest when there is one (it pins content), else the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>registry/repository, the part shared by every tag and digest of the image.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The same repository pinned to <paramref name="digest"/>: how Kubernetes reports imageID.</summary>
    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, null, digest);

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is { } digest ? "@" + digest : "");

    public static ImageReference Parse(string text, string defaultRegistry = DockerHub) =>
        TryParse(text, defaultRegistry, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParse(string text, string defaultRegistry, out ImageReference reference, out string error)
    {
        reference = null!;
        error = "";
        var rest = text.Trim();
        if (rest.Length == 0)
        {
            error = "image reference is empty";
            return false;
        }

        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Images.Digest.TryParse(rest[(at + 1)..], out var parsed))
            {
                error = $"invalid reference \"{text}\": invalid or unsupported digest";
                return false;
            }
            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"invalid reference \"{text}\": invalid tag \"{tag}\"";
                return false;
            }
        }

        var registry = defaultRegistry;
        var slash = rest.IndexOf('/');
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                registry = first;
                rest = rest[(slash + 1)..];
            }
        }
        if (registry == "index.docker.io")
            registry = DockerHub;
        if (registry == DockerHub && !rest.Contains('/'))
            rest = "library/" + rest;

        if (!RepositoryPattern().IsMatch(rest))
        {
            error = $"invalid reference \"{text}\": repository name must be lowercase letters, digits and separators";
            return false;
        }
        if (tag is null && digest is null)
            tag = DefaultTag;
        reference = new ImageReference(registry, rest, tag, digest);
        return true;
    }

    // From the distribution reference grammar: path components of lowercase alphanumerics joined by separators.
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
