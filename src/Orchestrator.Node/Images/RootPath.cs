namespace Orchestrator.Node.Images;

/// <summary>
/// Resolves a path inside a root filesystem the way the container will see it: symlinks met on the way
/// are followed relative to the root, and ".." stops at the root. A layer with "etc -> /" and then
/// "etc/passwd" must write the image's /passwd, never the host's (the securejoin problem).
/// </summary>
internal static class RootPath
{
    private const int MaxLinks = 255;

    /// <summary>Splits a tar entry name into clean components ("./a//b/" -> a, b); ".." is kept for <see cref="Resolve"/>.</summary>
    public static string Normalize(string entryName)
    {
        var parts = new List<string>();
        foreach (var part in entryName.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <param name="followFinal">Whether a symlink in the last component is followed too (hard link targets: no, tar semantics).</param>
    public static string Resolve(string root, string relative, bool followFinal = false)
    {
        var pending = new Stack<string>(relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = Join(root, resolved, part);
            var isLast = pending.Count == 0;
            if ((!isLast || followFinal) && new FileInfo(candidate).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                    throw new IOException($"too many levels of symbolic links resolving {relative}");
                if (target.StartsWith('/'))
                    resolved.Clear();
                foreach (var next in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    pending.Push(next);
                continue;
            }
            resolved.Add(part);
        }
        return resolved.Count == 0 ? root : Path.Combine(root, string.Join('/', resolved));
    }

    private static string Join(string root, List<string> resolved, string part) =>
        resolved.Count == 0 ? Path.Combine(root, part) : Path.Combine(root, string.Join('/', resolved), part);
}
