namespace Orchestrator.Api.Patching;

/// <summary>
/// One row of a patch schema table: a list path pattern and its strategy. An anchored pattern
/// must equal the whole path (service spec.ports); otherwise it matches the end of the path,
/// so "containers" covers pods and every pod template.
/// </summary>
public sealed record PatchRule(string[] Pattern, bool Anchored, ListMergeStrategy Strategy)
{
    public bool Matches(IReadOnlyList<string> path)
    {
        if (Anchored ? path.Count != Pattern.Length : path.Count < Pattern.Length)
        {
            return false;
        }

        int offset = path.Count - Pattern.Length;
        for (int i = 0; i < Pattern.Length; i++)
        {
            if (!string.Equals(path[offset + i], Pattern[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
