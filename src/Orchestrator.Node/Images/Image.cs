namespace Orchestrator.Node.Images;

/// <summary>An image ready to run: its unpacked root filesystem and the configuration the runtime applies.</summary>
/// <param name="Reference">The reference it was asked for, normalized (e.g. "127.0.0.1:5000/busybox:latest").</param>
/// <param name="Id">The config digest: the image ID (`crictl images` IMAGE ID).</param>
/// <param name="ManifestDigest">The platform manifest's digest; the rootfs is keyed by it.</param>
/// <param name="RootFsPath">The unpacked layers. Shared by every container of the image: copy or overlay it, do not write into it.</param>
public sealed record Image(ImageReference Reference, Digest Id, Digest ManifestDigest, string RootFsPath, ImageConfig Config)
{
    /// <summary>repository@manifest-digest, what Kubernetes reports as a container's imageID.</summary>
    public string RepoDigest => Reference.WithDigest(ManifestDigest).ToString();
}
