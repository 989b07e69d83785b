namespace Orchestrator.Chaos.Nemesis;

/// <summary>A fault in progress: whom it hit, and how to undo it.</summary>
public sealed record Fault(string Kind, string Target, Func<CancellationToken, Task> HealAsync);
