using System.Text.Json.Nodes;

namespace Orchestrator.Server.Security.Authorization.Rbac;

/// <summary>
/// The ClusterRoles and ClusterRoleBindings every cluster starts with, shaped as kube's bootstrap policy:
/// cluster-admin for system:masters; discovery, health and self-reviews for everyone; the aggregated admin, edit and
/// view roles; and least-privilege roles for the control plane's own identities and the node agents.
/// </summary>
public static class DefaultPolicy
{
    public const string ControllerManagerUser = "system:kube-controller-manager";
    public const string SchedulerUser = "system:kube-scheduler";
    public const string NodesGroup = "system:nodes";
    public const string MonitoringGroup = "system:monitoring";

    private const string Aggregate = "rbac.authorization.k8s.io/aggregate-to-";
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] All = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    /// <summary>(plural, object) in the order they are created: roles before the bindings that name them.</summary>
    public static IEnumerable<(string Plural, JsonObject Object)> Objects()
    {
        foreach (var role in ClusterRoles())
            yield return ("clusterroles", role);
        foreach (var binding in ClusterRoleBindings())
            yield return ("clusterrolebindings", binding);
    }

    private static IEnumerable<JsonObject> ClusterRoles()
    {
        yield return Role("cluster-admin", [Rule(["*"], ["*"], ["*"]), Urls(["*"], "*")]);
        yield return Role("system:discovery",
            [Urls(["get"], "/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", "/version", "/version/", "/healthz", "/livez", "/readyz")]);
        // The dashboard page holds no data (it reads the API with the viewer's own credential), so anyone may load it.
        yield return Role("system:public-info-viewer", [Urls(["get"], "/healthz", "/livez", "/readyz", "/version", "/version/", "/dashboard")]);
        yield return Role("system:basic-user",
        [
            Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]);
        yield return Role("system:service-account-issuer-discovery",
            [Urls(["get"], "/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/")]);
        yield return Role("system:monitoring", [Urls(["get"], "/metrics", "/dashboard/replicas", "/healthz", "/livez", "/readyz", "/healthz/*", "/livez/*", "/readyz/*")]);

        // admin > edit > view by aggregation, as kube: a CRD's role labeled aggregate-to-view reaches all three.
        yield return Aggregated("admin", "admin");
        yield return Aggregated("edit", "edit", alsoTo: "admin");
        yield return Aggregated("view", "view", alsoTo: "edit");
        yield return Role("system:aggregate-to-view", ViewRules(), labels: [$"{Aggregate}view"]);
        yield return Role("system:aggregate-to-edit", EditRules(), labels: [$"{Aggregate}edit"]);
        yield return Role("system:aggregate-to-admin",
        [
            Rule(Write.Concat(Read), ["rbac.authorization.k8s.io"], ["roles", "rolebindings"]),
            Rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
        ], labels: [$"{Aggregate}admin"]);

        // The controller manager's controllers (garbage collector and namespace deletion included) act on every
        // resource, custom ones too; it may not impersonate, escalate or bind.
        yield return Role("system:orchestrator:controller-manager",
        [
            Rule(All, ["*"], ["*"]),
            Urls(["get"], "/api", "/api/*", "/apis", "/apis/*", "/version"),
        ]);
        yield return Role("system:orchestrator:scheduler",
        [
            Rule(Read, ["", "apps", "policy", "storage.k8s.io"], ["pods", "nodes", "namespaces", "services", "replicasets", "statefulsets",
                "replicationcontrollers", "persistentvolumes", "persistentvolumeclaims", "poddisruptionbudgets", "storageclasses", "csinodes"]),
            Rule(["create"], [""], ["pods/binding", "bindings"]),
            Rule(["patch", "update"], [""], ["pods/status"]),
            Rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"]),
            Rule(["create", "get", "list", "watch", "update"], ["coordination.k8s.io"], ["leases"]),
        ]);
        yield return Role("system:orchestrator:node",
        [
            Rule(["get", "list", "watch", "create", "update", "patch"], [""], ["nodes"]),
            Rule(["patch", "update"], [""], ["nodes/status"]),
            Rule(["get", "list", "watch", "delete"], [""], ["pods"]),
            Rule(["patch", "update"], [""], ["pods/status"]),
            Rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"]),
            Rule(["get", "list", "watch", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]),
            Rule(["get"], [""], ["configmaps", "secrets", "serviceaccounts", "persistentvolumeclaims", "persistentvolumes"]),
            Rule(Read, [""], ["services", "endpoints"]),
            Rule(["create"], [""], ["serviceaccounts/token"]),
        ]);
    }

    private static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return Binding("cluster-admin", "cluster-admin", Group(UserInfo.MastersGroup));
        yield return Binding("system:discovery", "system:discovery", Group(UserInfo.AuthenticatedGroup), Group(UserInfo.UnauthenticatedGroup));
        yield return Binding("system:public-info-viewer", "system:public-info-viewer", Group(UserInfo.AuthenticatedGroup), Group(UserInfo.UnauthenticatedGroup));
        yield return Binding("system:basic-user", "system:basic-user", Group(UserInfo.AuthenticatedGroup));
        yield return Binding("system:monitoring", "system:monitoring", Group(MonitoringGroup));
        yield return Binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", Group("system:serviceaccounts"));
        yield return Binding("system:orchestrator:controller-manager", "system:orchestrator:controller-manager", User(ControllerManagerUser));
        yield return Binding("system:orchestrator:scheduler", "system:orchestrator:scheduler", User(SchedulerUser));
        yield return Binding("system:orchestrator:node", "system:orchestrator:node", Group(NodesGroup));
    }

    private static JsonObject[] ViewRules() =>
    [
        Rule(Read, [""], ["pods", "pods/log", "pods/status", "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status",
            "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status", "services", "services/status",
            "serviceaccounts", "namespaces", "namespaces/status", "events", "limitranges", "resourcequotas", "resourcequotas/status"]),
        Rule(Read, ["apps"], ["deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
            "statefulsets", "statefulsets/scale", "statefulsets/status", "daemonsets", "daemonsets/status", "controllerrevisions"]),
        Rule(Read, ["batch"], ["jobs", "jobs/status", "cronjobs", "cronjobs/status"]),
        Rule(Read, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
        Rule(Read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        Rule(Read, ["events.k8s.io"], ["events"]),
        Rule(Read, ["metrics.k8s.io"], ["pods", "nodes"]),
    ];

    private static JsonObject[] EditRules() =>
    [
        Rule(Write, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "pods/eviction", "configmaps", "endpoints",
            "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"]),
        Rule(["get", "create"], [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "services/proxy"]),
        Rule(Read, [""], ["secrets"]),
        Rule(["create"], [""], ["serviceaccounts/token"]),
        Rule(["impersonate"], [""], ["serviceaccounts"]),
        Rule(Write, ["apps"], ["deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale", "statefulsets",
            "statefulsets/scale", "daemonsets"]),
        Rule(Write, ["batch"], ["jobs", "cronjobs"]),
        Rule(Write, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
        Rule(Write, ["policy"], ["poddisruptionbudgets"]),
        Rule(Write, ["coordination.k8s.io"], ["leases"]),
    ];

    private static JsonObject Aggregated(string name, string selects, string? alsoTo = null) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name, alsoTo is null ? [] : [$"{Aggregate}{alsoTo}"]),
        ["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [$"{Aggregate}{selects}"] = "true" } }),
        },
        ["rules"] = new JsonArray(),
    };

    private static JsonObject Role(string name, JsonObject[] rules, string[]? labels = null) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name, labels ?? []),
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject Binding(string name, string role, params JsonObject[] subjects) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name, []),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. subjects]),
    };

    private static JsonObject Metadata(string name, string[] labels)
    {
        var labelObject = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        foreach (var label in labels)
            labelObject[label] = "true";
        return new JsonObject
        {
            ["name"] = name,
            ["labels"] = labelObject,
            ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
        };
    }

    private static JsonObject Rule(IEnumerable<string> verbs, string[] groups, string[] resources) => new()
    {
        ["verbs"] = Strings(verbs),
        ["apiGroups"] = Strings(groups),
        ["resources"] = Strings(resources),
    };

    private static JsonObject Urls(string[] verbs, params string[] urls) => new() { ["verbs"] = Strings(verbs), ["nonResourceURLs"] = Strings(urls) };

    private static JsonObject Group(string name) => new() { ["kind"] = "Group", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = name };

    private static JsonObject User(string name) => new() { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = name };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
