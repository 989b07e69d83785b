using System.Collections.Immutable;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// What one served version of a CRD adds to its <see cref="Registry.ResourceDefinition"/>: the
/// schema objects are validated, defaulted and pruned with, printer columns, subresources and the
/// list merge rules server-side apply and strategic merge use.
/// </summary>
public sealed class CustomResourceVersion
{
    public required string Name { get; init; }

    /// <summary>Whether objects are persisted in this version (exactly one version of a CRD is).</summary>
    public required bool Storage { get; init; }

    public required StructuralSchema Schema { get; init; }

    /// <summary>additionalPrinterColumns; empty means kube's default Name and Age.</summary>
    public ImmutableArray<PrinterColumn> Columns { get; init; } = [];

    /// <summary>The status subresource is enabled: the main resource ignores status, /status ignores the rest.</summary>
    public bool HasStatus { get; init; }

    public ScaleSubresource? Scale { get; init; }

    public required PatchSchema PatchSchema { get; init; }
}
