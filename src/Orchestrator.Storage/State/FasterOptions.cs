namespace Orchestrator.Storage.State;

/// <summary>
/// FASTER sizing. The defaults of FASTER itself take gigabytes, so every size is explicit here.
/// Page and segment sizes are recorded beside the data: recovering with other values crashes FASTER.
/// </summary>
public sealed record FasterOptions
{
    /// <summary>Hash index size in bytes (power of two). 16 MiB is 256k buckets of 8 entries.</summary>
    public long IndexSizeBytes { get; init; } = 1L << 24;

    /// <summary>Page size bits; 4 MiB pages hold a 1.5 MiB object in one page.</summary>
    public int PageSizeBits { get; init; } = 22;

    /// <summary>Memory for the in-memory part of the log (bits); 256 MiB by default.</summary>
    public int MemorySizeBits { get; init; } = 28;

    /// <summary>Log segment file size (bits); 256 MiB by default.</summary>
    public int SegmentSizeBits { get; init; } = 28;
}
