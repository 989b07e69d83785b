using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Controllers.Runtime;

namespace Orchestrator.Controllers.ServiceAccounts;

/// <summary>
/// Keeps the ConfigMap kube-root-ca.crt (key ca.crt: the cluster CA) in every namespace, as kube's root-ca-cert-publisher:
/// the projected service-account volume of every pod reads its ca.crt from it. Made when a namespace appears, put back
/// when deleted or changed. Keys are namespace names. Off when the settings carry no CA.
/// </summary>
public sealed class RootCaPublisher : QueueController
{
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string Key = "ca.crt";

    public override string Name => "root-ca-cert-publisher";

    protected override void Subscribe(ControllerContext context)
    {
        if (context.Settings.RootCaPem is null)
            return;
        QueueOwnKeys(context, ApiResource.Namespaces);
        context.Informers.Subscribe(ApiResource.ConfigMaps, change =>
        {
            if (change.Object.Name() == ConfigMapName && change.Object.Namespace() is { Length: > 0 } ns)
                Queue.Add(ns);
        });
    }

    public override Task RunAsync(ControllerContext context, CancellationToken token) =>
        context.Settings.RootCaPem is null ? Task.CompletedTask : base.RunAsync(context, token);

    protected override async Task ReconcileAsync(ControllerContext context, string key, CancellationToken token)
    {
        var pem = context.Settings.RootCaPem!;
        var ns = context.Informers.For(ApiResource.Namespaces).Get(null, key);
        if (ns is null || ns.IsDeleting() || ns.Str("status", "phase") == "Terminating")
            return;
        var current = context.Informers.For(ApiResource.ConfigMaps).Get(key, ConfigMapName);
        if (current?.Str("data", Key) == pem)
            return;
        try
        {
            if (current is null)
            {
                await context.Client.CreateAsync(ApiResource.ConfigMaps, key, new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ConfigMap",
                    ["metadata"] = new JsonObject { ["name"] = ConfigMapName, ["namespace"] = key },
                    ["data"] = new JsonObject { [Key] = pem },
                }, token: token).ConfigureAwait(false);
            }
            else
            {
                var updated = current.DeepClone().AsObject();
                updated["data"] = new JsonObject { [Key] = pem };
                await context.Client.UpdateAsync(ApiResource.ConfigMaps, updated, token: token).ConfigureAwait(false);
            }
        }
        catch (KubeApiException e) when (e.Code is 409)
        {
            // The cache was behind; the informer's event for the newer object queues the namespace again.
        }
        catch (KubeApiException e) when (e.Code is 403 or 404)
        {
            // The namespace began terminating or went away meanwhile.
        }
    }
}
