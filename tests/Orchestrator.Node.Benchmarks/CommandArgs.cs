namespace Orchestrator.Node.Benchmarks;

/// <summary>The benchmarks' options: "--name value" pairs anywhere in the arguments.</summary>
internal static class CommandArgs
{
    public static string Value(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
