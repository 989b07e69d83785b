using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Node.Images;

namespace Orchestrator.Node.Tests.Images;

/// <summary>Hand-made index documents for multi-platform tests.</summary>
internal static class OciJsonForTests
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static byte[] Index(params (OciBlob Manifest, OciPlatform Platform)[] manifests) =>
        JsonSerializer.SerializeToUtf8Bytes(new OciIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = manifests.Select(m => m.Manifest.Descriptor() with { Platform = m.Platform }).ToList(),
        }, Options);
}
