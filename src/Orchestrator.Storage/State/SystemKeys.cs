namespace Orchestrator.Storage.State;

/// <summary>
/// Keys the state machine keeps for itself beside user keys. User keys start with '/', these with
/// '\u0001', so they never collide and never show up in prefix lists.
/// </summary>
internal static class SystemKeys
{
    public const string DedupPrefix = "\u0001dedup/";
    public const string AppliedIndex = "\u0001meta/applied";

    public static bool IsUserKey(string key) => key.Length > 0 && key[0] == '/';

    public static string Dedup(Guid id) => DedupPrefix + id.ToString("N");
}
