using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Apply;

/// <summary>The 409 of a conflicting apply, worded like k8s.io/apiserver's fieldmanager (kubectl prints it verbatim).</summary>
internal static class ApplyConflicts
{
    public const string CauseReason = "FieldManagerConflict";

    public static ApiException ToException(IReadOnlyList<(ManagedFieldsEntry Owner, FieldSetPath Path)> conflicts)
    {
        var ordered = conflicts
            .Select(c => (Manager: c.Owner.Describe(), c.Path))
            .OrderBy(c => c.Manager, StringComparer.Ordinal)
            .ThenBy(c => c.Path)
            .ToList();

        var causes = ordered.Select(c => new StatusCause(CauseReason, $"conflict with {c.Manager}", c.Path.ToString())).ToList();
        return ApiException.ApplyConflict(causes, Message(ordered));
    }

    private static string Message(List<(string Manager, FieldSetPath Path)> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].Manager}: {conflicts[0].Path}";
        }

        var lines = new List<string>();
        foreach (IGrouping<string, (string Manager, FieldSetPath Path)> byManager in conflicts.GroupBy(c => c.Manager))
        {
            lines.Add($"conflicts with {byManager.Key}:");
            lines.AddRange(byManager.Select(c => $"- {c.Path}"));
        }

        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
