using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Orchestrator.Server.Security.RateLimits;

/// <summary>
/// Who may send how many requests of each verb class per window. Built in: list 100, get 1,000, write 50 and delete 50
/// per minute per user; node agents (group system:nodes) 10,000 and the controller manager and scheduler 5,000 of each;
/// system:masters exempt, as kube's priority-and-fairness exempts it. A --rate-limit-config file adds to or replaces
/// these entries. The most specific entry wins: user, then service account, then the most generous of the user's groups.
/// </summary>
public sealed class RateLimitPolicy
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public TimeSpan Window { get; }

    public ClassLimits Defaults { get; }

    private readonly HashSet<string> exemptUsers;
    private readonly HashSet<string> exemptGroups;
    private readonly Dictionary<string, ClassLimits> users;
    private readonly Dictionary<string, ClassLimits> groups;
    private readonly Dictionary<string, ClassLimits> serviceAccounts;

    private RateLimitPolicy(RateLimitFile file)
    {
        Window = TimeSpan.FromSeconds(file.WindowSeconds is > 0 ? file.WindowSeconds.Value : 60);
        Defaults = ToLimits(file.Defaults).Over(new ClassLimits(Get: 1000, List: 100, Write: 50, Delete: 50));
        exemptUsers = new HashSet<string>(["system:apiserver", .. file.Exempt?.Users ?? []], StringComparer.Ordinal);
        exemptGroups = new HashSet<string>([UserInfo.MastersGroup, .. file.Exempt?.Groups ?? []], StringComparer.Ordinal);
        users = new Dictionary<string, ClassLimits>(StringComparer.Ordinal)
        {
            ["system:kube-controller-manager"] = ClassLimits.All(5000),
            ["system:kube-scheduler"] = ClassLimits.All(5000),
        };
        groups = new Dictionary<string, ClassLimits>(StringComparer.Ordinal) { ["system:nodes"] = ClassLimits.All(10_000) };
        serviceAccounts = new Dictionary<string, ClassLimits>(StringComparer.Ordinal);
        Merge(users, file.Users);
        Merge(groups, file.Groups);
        Merge(serviceAccounts, file.ServiceAccounts);
    }

    public static RateLimitPolicy BuiltIn { get; } = new(new RateLimitFile());

    /// <summary>Reads a policy file (YAML); unknown fields and negative limits are errors, reported with the path.</summary>
    public static RateLimitPolicy Load(string? path)
    {
        if (path is null)
            return BuiltIn;
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        RateLimitFile file;
        try
        {
            file = deserializer.Deserialize<RateLimitFile?>(File.ReadAllText(path)) ?? new RateLimitFile();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidOperationException($"{path}: {e.Message}", e);
        }
        IEnumerable<LimitsEntry?> all = [file.Defaults, .. file.Users?.Values ?? Enumerable.Empty<LimitsEntry>(),
            .. file.Groups?.Values ?? Enumerable.Empty<LimitsEntry>(), .. file.ServiceAccounts?.Values ?? Enumerable.Empty<LimitsEntry>()];
        if (all.Any(l => l is not null && new[] { l.All, l.Get, l.List, l.Write, l.Delete }.Any(v => v < 0)))
            throw new InvalidOperationException($"{path}: a limit is negative");
        return new RateLimitPolicy(file);
    }

    /// <summary>The limit of <paramref name="user"/> for one class per window, or null when the user is not limited.</summary>
    public long? LimitFor(UserInfo user, VerbClass verbClass)
    {
        if (exemptUsers.Contains(user.Name) || user.Groups.Any(exemptGroups.Contains))
            return null;
        if (users.TryGetValue(user.Name, out var own) && own.For(verbClass) is { } byUser)
            return byUser;
        if (user.Name.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal)
            && serviceAccounts.TryGetValue(user.Name[ServiceAccountPrefix.Length..].Replace(':', '/'), out var account)
            && account.For(verbClass) is { } byAccount)
            return byAccount;
        long? byGroup = null;
        foreach (var group in user.Groups)
        {
            if (groups.TryGetValue(group, out var limits) && limits.For(verbClass) is { } limit)
                byGroup = Math.Max(byGroup ?? 0, limit);
        }
        return byGroup ?? Defaults.For(verbClass);
    }

    private static void Merge(Dictionary<string, ClassLimits> into, Dictionary<string, LimitsEntry>? entries)
    {
        foreach (var (name, entry) in entries ?? [])
            into[name] = ToLimits(entry);
    }

    private static ClassLimits ToLimits(LimitsEntry? entry) =>
        entry is null ? new ClassLimits() : new ClassLimits(entry.Get ?? entry.All, entry.List ?? entry.All, entry.Write ?? entry.All, entry.Delete ?? entry.All);

    /// <summary>The file's shape (--rate-limit-config).</summary>
    private sealed class RateLimitFile
    {
        public int? WindowSeconds { get; set; }
        public LimitsEntry? Defaults { get; set; }
        public ExemptEntry? Exempt { get; set; }
        public Dictionary<string, LimitsEntry>? Users { get; set; }
        public Dictionary<string, LimitsEntry>? Groups { get; set; }
        /// <summary>Keyed namespace/name.</summary>
        public Dictionary<string, LimitsEntry>? ServiceAccounts { get; set; }
    }

    private sealed class LimitsEntry
    {
        public long? All { get; set; }
        public long? Get { get; set; }
        public long? List { get; set; }
        public long? Write { get; set; }
        public long? Delete { get; set; }
    }

    private sealed class ExemptEntry
    {
        public List<string>? Users { get; set; }
        public List<string>? Groups { get; set; }
    }
}
