namespace Orchestrator.Node.Runtime;

/// <summary>
/// The parts of an OCI image config the runtime needs (config.Entrypoint, Cmd, Env, WorkingDir). The
/// image store fills it from the pulled image; tests write it by hand.
/// </summary>
public sealed record ImageConfig
{
    public static ImageConfig Empty { get; } = new();

    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];

    /// <summary>"NAME=value" entries, as in the image config.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }
}
