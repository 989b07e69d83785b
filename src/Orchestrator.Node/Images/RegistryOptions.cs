using System.Runtime.InteropServices;

namespace Orchestrator.Node.Images;

/// <summary>Where unqualified image names come from and which registries may be spoken to in plain HTTP.</summary>
public sealed record RegistryOptions
{
    /// <summary>The registry of names without a host, e.g. "busybox"; the node agent's --registry.</summary>
    public string DefaultRegistry { get; init; } = ImageReference.DockerHub;

    /// <summary>host:port entries reached over http:// instead of https:// (a local registry on loopback).</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>The platform picked from an image index; defaults to this machine's.</summary>
    public string Os { get; init; } = "linux";

    public string Architecture { get; init; } = RuntimeArchitecture();

    /// <summary>Manifests are small JSON documents; refusing big ones keeps a hostile registry from exhausting memory (containerd uses 4 MiB).</summary>
    public int MaxManifestBytes { get; init; } = 4 << 20;

    public bool IsInsecure(string registry) => InsecureRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase);

    private static string RuntimeArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        _ => "amd64",
    };
}
