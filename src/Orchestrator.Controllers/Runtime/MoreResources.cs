using Orchestrator.Api.Registry;
using Orchestrator.Client;

namespace Orchestrator.Controllers.Runtime;

/// <summary>Resources the client has no shortcut for, taken from the registry so paths cannot drift.</summary>
internal static class MoreResources
{
    public static ApiResource Endpoints { get; } = Find("", "endpoints");
    public static ApiResource ServiceAccounts { get; } = Find("", "serviceaccounts");
    public static ApiResource Jobs { get; } = Find("batch", "jobs");
    public static ApiResource CronJobs { get; } = Find("batch", "cronjobs");
    public static ApiResource PodDisruptionBudgets { get; } = Find("policy", "poddisruptionbudgets");

    private static ApiResource Find(string group, string plural) =>
        ApiResource.From(BuiltInResources.All.Single(r => r.Group == group && r.Plural == plural));
}
