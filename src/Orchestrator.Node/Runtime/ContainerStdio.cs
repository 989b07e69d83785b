using System.Text.Json.Nodes;

namespace Orchestrator.Node.Runtime;

/// <summary>
/// A container's stdin and terminal as its pod spec asks (container.stdin, stdinOnce, tty): recorded in the bundle's
/// config.json (process.terminal and two annotations), where the shim reads them, so a shim needs no more arguments.
/// </summary>
public sealed record ContainerStdio(bool Stdin, bool StdinOnce, bool Tty)
{
    public const string StdinAnnotation = "io.orchestrator.stdin";
    public const string StdinOnceAnnotation = "io.orchestrator.stdin-once";

    public static ContainerStdio None { get; } = new(false, false, false);

    /// <summary>The settings recorded in an OCI spec by <see cref="OciSpecBuilder"/>.</summary>
    public static ContainerStdio FromSpec(JsonNode? spec)
    {
        var annotations = spec?["annotations"] as JsonObject;
        return new ContainerStdio(
            IsTrue(annotations?[StdinAnnotation]),
            IsTrue(annotations?[StdinOnceAnnotation]),
            spec?["process"]?["terminal"] is JsonValue terminal && terminal.TryGetValue<bool>(out var tty) && tty);
    }

    private static bool IsTrue(JsonNode? value) => value is JsonValue text && text.TryGetValue<string>(out var s) && s == "true";
}
