namespace Orchestrator.Server.Resources;

/// <summary>How unknown fields in a write are treated: kube's fieldValidation query parameter.</summary>
public enum FieldValidationMode
{
    Warn,
    Strict,
    Ignore,
}

/// <summary>
/// Who writes and how, for one store write: the transport-free part of a request (the HTTP layer builds it from the
/// query and headers). Warnings collected here go back to the client as Warning headers.
/// </summary>
public sealed record WriteContext
{
    public bool DryRun { get; init; }

    /// <summary>The managedFields manager (fieldManager, else the client's program name).</summary>
    public string FieldManager { get; init; } = "unknown";

    /// <summary>Server-side apply records its own field ownership; plain writes record an Update entry.</summary>
    public bool IsApply { get; init; }

    /// <summary>apply's force: take fields other managers own.</summary>
    public bool Force { get; init; }

    /// <summary>The subresource written through ("status", "scale"), which managedFields record.</summary>
    public string? Subresource { get; init; }

    public FieldValidationMode FieldValidation { get; init; } = FieldValidationMode.Warn;

    public List<string> Warnings { get; } = [];

    /// <summary>A write made by the server itself (bootstrap, subresources on its own behalf).</summary>
    public static WriteContext System(string manager) => new() { FieldManager = manager, FieldValidation = FieldValidationMode.Ignore };
}
