using System.Runtime.InteropServices;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// A container's writable root filesystem. Preferred: overlayfs with the image rootfs as the read-only
/// lower layer and a per-container upper/work dir, so starting costs one mount and containers of one image
/// share the page cache. Fallback: a plain copy of the image rootfs, for kernels or backing file systems
/// that refuse overlay (an upper dir on overlayfs, for one); slower but with the same semantics.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerRootfs
{
    private ContainerRootfs(string path, bool isOverlay)
    {
        Path = path;
        IsOverlay = isOverlay;
    }

    /// <summary>The directory runc uses as the container's root.</summary>
    public string Path { get; }

    public bool IsOverlay { get; }

    /// <summary>Creates &lt;bundle&gt;/rootfs over <paramref name="imageRootfs"/>, with upper/ and work/ beside it.</summary>
    public static ContainerRootfs Create(string imageRootfs, string bundleDirectory, bool allowOverlay = true)
    {
        var merged = System.IO.Path.Combine(bundleDirectory, "rootfs");
        var upper = System.IO.Path.Combine(bundleDirectory, "upper");
        var work = System.IO.Path.Combine(bundleDirectory, "work");
        Directory.CreateDirectory(merged);
        if (allowOverlay && !new[] { imageRootfs, upper, work }.Any(p => p.Contains(',') || p.Contains(':')))
        {
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            if (LibC.Mount("overlay", merged, "overlay", 0, $"lowerdir={imageRootfs},upperdir={upper},workdir={work}") == 0)
                return new ContainerRootfs(merged, isOverlay: true);
            Directory.Delete(upper, recursive: true);
            Directory.Delete(work, recursive: true);
        }
        TreeCopy.Copy(imageRootfs, merged);
        return new ContainerRootfs(merged, isOverlay: false);
    }

    /// <summary>Unmounts the overlay under <paramref name="bundleDirectory"/> if one is mounted there.</summary>
    public static void Release(string bundleDirectory)
    {
        var merged = System.IO.Path.Combine(bundleDirectory, "rootfs");
        if (!MountTable.IsMountPoint(merged))
            return;
        if (LibC.Unmount(merged, LibC.MountDetach) != 0)
            throw new IOException($"umount {merged} failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
