using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Chaos.History;

/// <summary>Everything a run produced: its settings, the operations of every client and the faults, saved as JSON.</summary>
public sealed record RunHistory
{
    /// <summary>The workloads that ran, comma-separated.</summary>
    public required string Workload { get; init; }

    public required IReadOnlyList<string> Nemeses { get; init; }

    /// <summary>The initial value of every register key.</summary>
    public required IReadOnlyDictionary<string, string?> Initial { get; init; }

    public required IReadOnlyList<Operation> Operations { get; init; }

    public required IReadOnlyList<FaultWindow> Faults { get; init; }

    /// <summary>Every watch session of the watch workload, in start order.</summary>
    public IReadOnlyList<WatchSession> Watches { get; init; } = [];

    public long DurationNanos { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task SaveAsync(string path, CancellationToken token)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json, token);
    }

    public static async Task<RunHistory> LoadAsync(string path, CancellationToken token)
    {
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<RunHistory>(file, Json, token) ?? throw new InvalidDataException($"{path} holds no history");
    }
}
