using System.Collections.Frozen;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tables;

/// <summary>The printer of every built-in kind; anything else prints as a custom resource.</summary>
internal static class TablePrinters
{
    private static readonly FrozenDictionary<GroupKind, TablePrinter> ByKind = new Dictionary<GroupKind, TablePrinter>
    {
        [new("", "Pod")] = PodPrinter.Printer,
        [new("", "Service")] = ServicePrinters.Service,
        [new("", "Endpoints")] = ServicePrinters.Endpoints,
        [new("", "Node")] = ClusterPrinters.Node,
        [new("", "Namespace")] = ClusterPrinters.Namespace,
        [new("", "ConfigMap")] = ConfigPrinters.ConfigMap,
        [new("", "Secret")] = ConfigPrinters.Secret,
        [new("", "ServiceAccount")] = ConfigPrinters.ServiceAccount,
        [new("", "Event")] = EventPrinter.Printer,
        [new("", "PersistentVolume")] = StoragePrinters.PersistentVolume,
        [new("", "PersistentVolumeClaim")] = StoragePrinters.PersistentVolumeClaim,
        [new("", "ReplicationController")] = AppsPrinters.ReplicationController,
        [new("apps", "Deployment")] = AppsPrinters.Deployment,
        [new("apps", "ReplicaSet")] = AppsPrinters.ReplicaSet,
        [new("apps", "StatefulSet")] = AppsPrinters.StatefulSet,
        [new("apps", "DaemonSet")] = AppsPrinters.DaemonSet,
        [new("batch", "Job")] = BatchPrinters.Job,
        [new("batch", "CronJob")] = BatchPrinters.CronJob,
        [new("networking.k8s.io", "Ingress")] = NetworkingPrinters.Ingress,
        [new("networking.k8s.io", "IngressClass")] = NetworkingPrinters.IngressClass,
        [new("networking.k8s.io", "NetworkPolicy")] = NetworkingPrinters.NetworkPolicy,
        [new("storage.k8s.io", "StorageClass")] = StoragePrinters.StorageClass,
        [new("coordination.k8s.io", "Lease")] = ClusterPrinters.Lease,
        [new("policy", "PodDisruptionBudget")] = PolicyPrinters.PodDisruptionBudget,
        [new("rbac.authorization.k8s.io", "Role")] = DefaultTablePrinter.Printer,
        [new("rbac.authorization.k8s.io", "ClusterRole")] = DefaultTablePrinter.Printer,
        [new("rbac.authorization.k8s.io", "RoleBinding")] = RbacPrinters.RoleBinding,
        [new("rbac.authorization.k8s.io", "ClusterRoleBinding")] = RbacPrinters.RoleBinding,
        [new("apiextensions.k8s.io", "CustomResourceDefinition")] = DefaultTablePrinter.Printer,
    }.ToFrozenDictionary();

    public static bool HasPrinter(GroupKind kind) => ByKind.ContainsKey(kind);

    /// <summary>A custom resource prints its CRD version's columns; anything else as <see cref="For(GroupKind)"/>.</summary>
    public static TablePrinter For(ResourceDefinition resource) =>
        resource.Custom is { } custom ? CustomColumnsPrinter.For(custom.Columns) : For(resource.GroupKind);

    public static TablePrinter For(GroupKind kind) =>
        ByKind.TryGetValue(kind, out TablePrinter? printer) ? printer : CustomResourcePrinter.Printer;
}
