using System.Collections.Immutable;
using Orchestrator.Api.Schema;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Api.Registry;

/// <summary>
/// The built-in resources this server serves, with the names, short names, categories and
/// subresources kube-apiserver 1.32 advertises for them (kubectl's RESTMapper relies on them).
/// </summary>
public static class BuiltInResources
{
    private const string Core = "";
    private const string Apps = "apps";
    private const string Batch = "batch";
    private const string Networking = "networking.k8s.io";
    private const string Storage = "storage.k8s.io";
    private const string Coordination = "coordination.k8s.io";
    private const string Policy = "policy";
    private const string ApiExtensions = "apiextensions.k8s.io";
    public const string Rbac = "rbac.authorization.k8s.io";
    public const string Authorization = "authorization.k8s.io";
    public const string Authentication = "authentication.k8s.io";

    /// <summary>metrics.k8s.io: served from the node agents' stats (like metrics-server), never stored.</summary>
    public const string MetricsGroup = "metrics.k8s.io";

    /// <summary>"kubectl get all": the workload kinds, as in Kubernetes (not configmaps, secrets or ingresses).</summary>
    public const string AllCategory = "all";

    public static ImmutableArray<ResourceDefinition> All { get; } =
    [
        Resource(Core, "Namespace", "namespaces", namespaced: false, shortNames: ["ns"], subresources: ["status"],
            verbs: [Verbs.Create, Verbs.Delete, Verbs.Get, Verbs.List, Verbs.Patch, Verbs.Update, Verbs.Watch],
            fields: KnownSelectableFields.Namespaces,
            // The namespace controller removes spec.finalizers through it once the namespace is empty.
            extra: [Sub("finalize", new(Core, "v1", "Namespace"), Verbs.Update)]),
        Resource(Core, "Pod", "pods", shortNames: ["po"], all: true, subresources: ["status"], fields: KnownSelectableFields.Pods,
            extra:
            [
                Sub("binding", new(Core, "v1", "Binding"), Verbs.Create),
                Sub("log", new(Core, "v1", "Pod"), Verbs.Get),
                Sub("exec", new(Core, "v1", "PodExecOptions"), Verbs.Create, Verbs.Get),
                Sub("attach", new(Core, "v1", "PodAttachOptions"), Verbs.Create, Verbs.Get),
                Sub("portforward", new(Core, "v1", "PodPortForwardOptions"), Verbs.Create, Verbs.Get),
                Sub("eviction", new(Policy, "v1", "Eviction"), Verbs.Create),
            ]),
        Resource(Core, "Service", "services", shortNames: ["svc"], all: true, subresources: ["status"],
            fields: KnownSelectableFields.Services),
        Resource(Core, "Endpoints", "endpoints", shortNames: ["ep"], singular: "endpoints"),
        Resource(Core, "Node", "nodes", namespaced: false, shortNames: ["no"], subresources: ["status"],
            fields: KnownSelectableFields.Nodes),
        Resource(Core, "ConfigMap", "configmaps", shortNames: ["cm"]),
        Resource(Core, "Secret", "secrets", fields: KnownSelectableFields.Secrets),
        Resource(Core, "Event", "events", shortNames: ["ev"], fields: KnownSelectableFields.Events),
        Resource(Core, "ServiceAccount", "serviceaccounts", shortNames: ["sa"],
            extra: [Sub("token", new(Authentication, "v1", "TokenRequest"), Verbs.Create)]),
        Resource(Core, "PersistentVolume", "persistentvolumes", namespaced: false, shortNames: ["pv"], subresources: ["status"]),
        Resource(Core, "PersistentVolumeClaim", "persistentvolumeclaims", shortNames: ["pvc"], subresources: ["status"]),
        Resource(Core, "ReplicationController", "replicationcontrollers", shortNames: ["rc"], all: true, subresources: ["status", "scale"],
            fields: KnownSelectableFields.ReplicationControllers),

        Resource(Apps, "Deployment", "deployments", shortNames: ["deploy"], all: true, subresources: ["status", "scale"]),
        Resource(Apps, "ReplicaSet", "replicasets", shortNames: ["rs"], all: true, subresources: ["status", "scale"],
            fields: KnownSelectableFields.ReplicaSets),
        Resource(Apps, "StatefulSet", "statefulsets", shortNames: ["sts"], all: true, subresources: ["status", "scale"]),
        Resource(Apps, "DaemonSet", "daemonsets", shortNames: ["ds"], all: true, subresources: ["status"]),

        Resource(Batch, "Job", "jobs", all: true, subresources: ["status"], fields: KnownSelectableFields.Jobs),
        Resource(Batch, "CronJob", "cronjobs", shortNames: ["cj"], all: true, subresources: ["status"]),

        Resource(Networking, "Ingress", "ingresses", shortNames: ["ing"], subresources: ["status"]),
        Resource(Networking, "IngressClass", "ingressclasses", namespaced: false),
        Resource(Networking, "NetworkPolicy", "networkpolicies", shortNames: ["netpol"], singular: "networkpolicy"),

        Resource(Storage, "StorageClass", "storageclasses", namespaced: false, shortNames: ["sc"]),
        Resource(Coordination, "Lease", "leases"),
        Resource(Policy, "PodDisruptionBudget", "poddisruptionbudgets", shortNames: ["pdb"], subresources: ["status"]),

        Resource(Rbac, "ClusterRole", "clusterroles", namespaced: false),
        Resource(Rbac, "ClusterRoleBinding", "clusterrolebindings", namespaced: false),
        Resource(Rbac, "Role", "roles"),
        Resource(Rbac, "RoleBinding", "rolebindings"),

        Resource(ApiExtensions, "CustomResourceDefinition", "customresourcedefinitions", namespaced: false, shortNames: ["crd", "crds"],
            subresources: ["status"], categories: ["api-extensions"]),
    ];

    /// <summary>
    /// metrics.k8s.io/v1beta1, advertised in discovery (kubectl top looks for the group there) but never stored: the
    /// API server answers it from the node agents. Kept out of <see cref="All"/>, which lists the stored kinds
    /// (controllers, printers and OpenAPI models iterate that).
    /// </summary>
    public static ImmutableArray<ResourceDefinition> Metrics { get; } =
    [
        Resource(MetricsGroup, "NodeMetrics", "nodes", namespaced: false, verbs: [Verbs.Get, Verbs.List], version: "v1beta1"),
        Resource(MetricsGroup, "PodMetrics", "pods", verbs: [Verbs.Get, Verbs.List], version: "v1beta1"),
    ];

    /// <summary>
    /// The review kinds: create-only questions answered at once from the authenticator and authorizer, never stored
    /// (kubectl auth can-i / whoami, webhooks of other servers). Kept out of <see cref="All"/> like metrics.
    /// </summary>
    public static ImmutableArray<ResourceDefinition> Reviews { get; } =
    [
        Resource(Authorization, "SelfSubjectAccessReview", "selfsubjectaccessreviews", namespaced: false, verbs: [Verbs.Create]),
        Resource(Authorization, "SelfSubjectRulesReview", "selfsubjectrulesreviews", namespaced: false, verbs: [Verbs.Create]),
        Resource(Authorization, "SubjectAccessReview", "subjectaccessreviews", namespaced: false, verbs: [Verbs.Create]),
        Resource(Authorization, "LocalSubjectAccessReview", "localsubjectaccessreviews", verbs: [Verbs.Create]),
        Resource(Authentication, "SelfSubjectReview", "selfsubjectreviews", namespaced: false, verbs: [Verbs.Create]),
        Resource(Authentication, "TokenReview", "tokenreviews", namespaced: false, verbs: [Verbs.Create]),
    ];

    private static ResourceDefinition Resource(
        string group,
        string kind,
        string plural,
        bool namespaced = true,
        string[]? shortNames = null,
        bool all = false,
        string[]? subresources = null,
        SubresourceDefinition[]? extra = null,
        string[]? verbs = null,
        string? singular = null,
        SelectableFields? fields = null,
        string version = "v1",
        string[]? categories = null)
    {
        var self = new GroupVersionKind(group, version, kind);
        IEnumerable<SubresourceDefinition> standard = (subresources ?? []).Select(name => name switch
        {
            // Every kind's scale speaks autoscaling/v1 Scale, which is what kubectl scale sends.
            "scale" => Sub("scale", new("autoscaling", "v1", "Scale"), [.. Verbs.GetPatchUpdate]),
            _ => Sub(name, self, [.. Verbs.GetPatchUpdate]),
        });
        return new ResourceDefinition
        {
            Group = group,
            Version = version,
            Kind = kind,
            Plural = plural,
            Singular = singular ?? kind.ToLowerInvariant(),
            Namespaced = namespaced,
            Verbs = verbs is null ? Verbs.Standard : [.. verbs],
            ShortNames = [.. shortNames ?? []],
            Categories = [.. all ? [AllCategory] : Array.Empty<string>(), .. categories ?? []],
            Subresources = [.. standard, .. extra ?? []],
            SelectableFields = fields,
        };
    }

    private static SubresourceDefinition Sub(string name, GroupVersionKind responseKind, params string[] verbs) =>
        new() { Name = name, ResponseKind = responseKind, Verbs = [.. verbs] };
}
