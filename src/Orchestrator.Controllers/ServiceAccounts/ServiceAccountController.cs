using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.ServiceAccounts;

/// <summary>
/// Keeps a "default" ServiceAccount in every namespace, as kube's serviceaccounts controller: made when a namespace
/// appears and again when someone deletes it, never in a namespace that is terminating. Keys are namespace names.
/// </summary>
public sealed class ServiceAccountController : QueueController
{
    public const string DefaultName = "default";

    public override string Name => "serviceaccount";

    protected override void Subscribe(ControllerContext context)
    {
        QueueOwnKeys(context, ApiResource.Namespaces);
        context.Informers.Subscribe(MoreResources.ServiceAccounts, change =>
        {
            if (change.Object.Name() == DefaultName && change.Object.Namespace() is { Length: > 0 } ns)
                Queue.Add(ns);
        });
    }

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var ns = context.Informers.For(ApiResource.Namespaces).Get(null, key);
        if (ns is null || ns.IsDeleting() || ns.Str("status", "phase") == "Terminating")
            return;
        if (context.Informers.For(MoreResources.ServiceAccounts).Get(key, DefaultName) is not null)
            return;
        var account = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = DefaultName, ["namespace"] = key },
        };
        try
        {
            await context.Client.CreateAsync(MoreResources.ServiceAccounts, key, account, token: token).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            // Already there (the cache was behind): nothing to do.
        }
        catch (KubeApiException e) when (e.Code is 403 or 404)
        {
            // The namespace began terminating or went away meanwhile; its own events bring it back if it matters.
        }
    }
}
