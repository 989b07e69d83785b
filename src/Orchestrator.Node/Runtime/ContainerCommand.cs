namespace Orchestrator.Node.Runtime;

/// <summary>How Kubernetes merges container command/args with the image's Entrypoint/Cmd.</summary>
public static class ContainerCommand
{
    /// <summary>
    /// command and args given: command + args. Only command: command (the image Cmd is dropped).
    /// Only args: Entrypoint + args. Neither: Entrypoint + Cmd.
    /// </summary>
    public static IReadOnlyList<string> Resolve(ImageConfig image, IReadOnlyList<string>? command, IReadOnlyList<string>? args)
    {
        IReadOnlyList<string> head = command is { Count: > 0 } ? command : image.Entrypoint;
        IReadOnlyList<string> tail = args is { Count: > 0 } ? args
            : command is { Count: > 0 } ? []
            : image.Cmd;
        var result = head.Concat(tail).ToArray();
        if (result.Length == 0)
            throw new ArgumentException("no command: neither the container nor the image names one");
        return result;
    }

    /// <summary>Image variables first, container variables override by name, PATH defaulted like Docker.</summary>
    public static IReadOnlyList<string> ResolveEnv(ImageConfig image, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        var merged = new List<KeyValuePair<string, string>>();
        void Set(string name, string value)
        {
            var index = merged.FindIndex(e => e.Key == name);
            if (index >= 0)
                merged[index] = new(name, value);
            else
                merged.Add(new(name, value));
        }
        foreach (var entry in image.Env)
        {
            var equals = entry.IndexOf('=');
            if (equals > 0)
                Set(entry[..equals], entry[(equals + 1)..]);
        }
        foreach (var (name, value) in env)
            Set(name, value);
        if (merged.All(e => e.Key != "PATH"))
            merged.Insert(0, new("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        return merged.Select(e => $"{e.Key}={e.Value}").ToArray();
    }
}
