using Orchestrator.Node.Images;

namespace Orchestrator.Testing;

/// <summary>The project's busybox image (see <see cref="BusyboxImageBuilder"/>), pushed to a test registry or written as an OCI archive.</summary>
public static class BusyboxImage
{
    public static bool IsAvailable => File.Exists(BusyboxImageBuilder.DefaultBinary);

    public static BuiltImage Build() => BusyboxImageBuilder.Build();

    public static Task<ImageReference> PushAsync(TestRegistry registry, string repository = "busybox", string tag = "latest",
        CancellationToken token = default) => registry.PushAsync(Build(), repository, tag, token);

    public static async Task WriteArchiveAsync(string path, ImageReference name, CancellationToken token = default)
    {
        await using var file = File.Create(path);
        await OciArchiveWriter.WriteAsync(Build(), name, file, token);
    }
}
