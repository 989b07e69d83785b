namespace Orchestrator.Client;

/// <summary>Query parameters shared by create, update and patch.</summary>
public sealed record WriteOptions
{
    /// <summary>Who owns the written fields (managedFields); required for server-side apply.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Server-side apply only: take over fields other managers own instead of failing with 409.</summary>
    public bool? Force { get; init; }

    /// <summary>"Strict", "Warn" or "Ignore".</summary>
    public string? FieldValidation { get; init; }

    /// <summary>Validate and run admission, but do not persist (dryRun=All).</summary>
    public bool DryRun { get; init; }
}
