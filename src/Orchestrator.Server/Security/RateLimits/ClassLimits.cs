namespace Orchestrator.Server.Security.RateLimits;

/// <summary>Requests per window for each verb class; null where this entry leaves the class to the next rule.</summary>
public sealed record ClassLimits(long? Get = null, long? List = null, long? Write = null, long? Delete = null)
{
    public static ClassLimits All(long limit) => new(limit, limit, limit, limit);

    public long? For(VerbClass verbClass) => verbClass switch
    {
        VerbClass.Get => Get,
        VerbClass.List => List,
        VerbClass.Write => Write,
        _ => Delete,
    };

    /// <summary>This entry's limits where set, <paramref name="fallback"/>'s elsewhere.</summary>
    public ClassLimits Over(ClassLimits fallback) =>
        new(Get ?? fallback.Get, List ?? fallback.List, Write ?? fallback.Write, Delete ?? fallback.Delete);
}
