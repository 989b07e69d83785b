namespace Orchestrator.Node.Images;

/// <summary>Picks the manifest of one platform from an index, as containerd's default matcher does for linux.</summary>
internal static class PlatformMatcher
{
    public static OciDescriptor? Choose(IEnumerable<OciDescriptor> manifests, string os, string architecture)
    {
        var candidates = manifests
            .Where(m => MediaTypes.IsManifest(m.MediaType) || m.MediaType is null)
            .Where(m => m.Platform is { } p && p.Os == os && p.Architecture == architecture)
            .ToList();
        // arm64 images are commonly tagged variant "v8" or left without one; either is fine for this node.
        return candidates.FirstOrDefault(m => m.Platform!.Variant is null or "v8") ?? candidates.FirstOrDefault();
    }
}
