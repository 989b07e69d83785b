using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests.Conformance;

/// <summary>
/// The fixture of every kind the conformance suite knows: a minimal valid object, a mutation, the status case and how
/// deletion ends. A kind registered in the server without a row here fails every step of the suite.
/// </summary>
public static class KindTable
{
    /// <summary>Pods (and pod templates) carry a node selector no node has: nothing is scheduled, so pod deletion is immediate.</summary>
    private static JsonObject PodSpec(string restartPolicy = "Always") => new()
    {
        ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }),
        ["restartPolicy"] = restartPolicy,
        ["nodeSelector"] = new JsonObject { ["conformance.example.com/no-such-node"] = "true" },
    };

    private static JsonObject Template(string app, string restartPolicy = "Always") => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app } },
        ["spec"] = PodSpec(restartPolicy),
    };

    private static JsonObject Selector(string app) => new() { ["matchLabels"] = new JsonObject { ["app"] = app } };

    private static JsonObject Object(string apiVersion, string kind, string name, string? ns, JsonObject? body = null, JsonObject? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
            metadata["namespace"] = ns;
        if (annotations is not null)
            metadata["annotations"] = annotations;
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        foreach (var (key, value) in body ?? [])
            result[key] = value?.DeepClone();
        return result;
    }

    /// <summary>For kinds without a mutable spec field reachable without lists: an annotation, present from the start.</summary>
    private const string AnnotationPointer = "/metadata/annotations/conformance.example.com~1mutation";

    private static JsonObject Annotated() => new() { ["conformance.example.com/mutation"] = "initial" };

    private static JsonArray ReadConfigMaps() =>
        [new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("configmaps"), ["verbs"] = new JsonArray("get", "list") }];

    /// <summary>A binding of a user who never calls to a role of the fixture's name (a binding may name a role not yet made).</summary>
    private static JsonObject Binding(string roleKind, string name) => new()
    {
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = name },
        ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = $"conformance-{name}" }),
    };

    private static JsonNode[] Strings(string prefix) => [.. Enumerable.Range(1, 5).Select(i => (JsonNode)JsonValue.Create($"{prefix}{i}"))];

    private static JsonNode[] Ints(int first, int step = 1) => [.. Enumerable.Range(0, 5).Select(i => (JsonNode)JsonValue.Create(first + i * step))];

    private static JsonNode Node(string json) => JsonNode.Parse(json)!;

    private static JsonNode[] Conditions(string type) =>
    [
        Node($$"""[{"type":"{{type}}","status":"True","reason":"One","message":"one","lastTransitionTime":"2026-01-01T00:00:00Z"}]"""),
        Node($$"""[{"type":"{{type}}","status":"False","reason":"Two","message":"two","lastTransitionTime":"2026-01-02T00:00:00Z"}]"""),
    ];

    public static readonly string CustomResourceDefinitions = "apiextensions.k8s.io/v1/customresourcedefinitions";

    /// <summary>The custom resource case: created as a CRD by the fixture, then run through the same steps.</summary>
    public static readonly string Widgets = "conformance.example.com/v1/widgets";

    public static IReadOnlyList<KindFixture> Rows { get; } =
    [
        new()
        {
            Resource = "v1/namespaces",
            Make = (name, _) => Object("v1", "Namespace", name, null, annotations: Annotated()),
            // A namespace's spec (finalizers) changes only through .../finalize.
            Pointer = AnnotationPointer,
            Values = Strings("ns-"),
            Status = new("/spec/finalizers", Node("""["conformance.example.com/ignored"]"""), "/status/conditions", Conditions("NamespaceDeletionDiscoveryFailure")),
            Deletion = DeletionExpectation.Finalized("Terminating"),
        },
        new()
        {
            Resource = "v1/pods",
            Make = (name, ns) => Object("v1", "Pod", name, ns, new() { ["spec"] = With(PodSpec(), "activeDeadlineSeconds", 1000) }),
            // Most of a pod's spec is immutable; activeDeadlineSeconds may only decrease.
            Pointer = "/spec/activeDeadlineSeconds",
            Values = Ints(900, -100),
            Status = new("/spec/activeDeadlineSeconds", JsonValue.Create(5), "/status/message", [JsonValue.Create("one"), JsonValue.Create("two")]),
        },
        new()
        {
            Resource = "v1/services",
            Make = (name, ns) => Object("v1", "Service", name, ns, new()
            {
                ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }), ["selector"] = new JsonObject { ["app"] = "initial" } },
            }),
            Pointer = "/spec/selector/app",
            Values = Strings("svc-"),
            Status = new("/spec/selector/app", JsonValue.Create("ignored"), "/status/conditions", Conditions("ConformanceProbe")),
        },
        new()
        {
            Resource = "v1/endpoints",
            Make = (name, ns) => Object("v1", "Endpoints", name, ns, new()
            {
                ["subsets"] = Node("""[{"addresses":[{"ip":"192.0.2.1"}],"ports":[{"port":80}]}]"""),
            }, Annotated()),
            // The endpoints of a Service without a selector, which the endpoints controller leaves to their writer (an Endpoints
            // object without its Service is removed by the controller, as kube-controller-manager does on its next sync).
            Companions = (name, ns) =>
            [
                ($"/api/v1/namespaces/{ns}/services", Object("v1", "Service", name, ns, new()
                {
                    ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
                })),
            ],
            Pointer = AnnotationPointer,
            Values = Strings("ep-"),
        },
        new()
        {
            Resource = "v1/nodes",
            Make = (name, _) => Object("v1", "Node", name, null, new() { ["spec"] = new JsonObject() }, Annotated()),
            // spec.unschedulable is a bool that disappears when false; podCIDR and providerID are set-once.
            Pointer = AnnotationPointer,
            Values = Strings("node-"),
            Status = new("/spec/unschedulable", JsonValue.Create(true), "/status/capacity/pods", [JsonValue.Create("97"), JsonValue.Create("98")]),
        },
        new()
        {
            Resource = "v1/configmaps",
            Make = (name, ns) => Object("v1", "ConfigMap", name, ns, new() { ["data"] = new JsonObject { ["mutation"] = "initial" } }),
            Pointer = "/data/mutation",
            Values = Strings("cm-"),
        },
        new()
        {
            Resource = "v1/secrets",
            Make = (name, ns) => Object("v1", "Secret", name, ns, new()
            {
                ["type"] = "Opaque",
                ["data"] = new JsonObject { ["mutation"] = Convert.ToBase64String("initial"u8) },
            }),
            Pointer = "/data/mutation",
            Values = [.. Enumerable.Range(1, 5).Select(i => (JsonNode)JsonValue.Create(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"secret-{i}"))))],
        },
        new()
        {
            Resource = "v1/events",
            Make = (name, ns) => Object("v1", "Event", name, ns, new()
            {
                ["involvedObject"] = new JsonObject { ["kind"] = "ConfigMap", ["name"] = "subject", ["namespace"] = ns, ["apiVersion"] = "v1" },
                ["reason"] = "Conformance",
                ["message"] = "initial",
                ["type"] = "Normal",
            }),
            Pointer = "/message",
            Values = Strings("event-"),
        },
        new()
        {
            Resource = "v1/serviceaccounts",
            Make = (name, ns) => Object("v1", "ServiceAccount", name, ns, annotations: Annotated()),
            Pointer = AnnotationPointer,
            Values = Strings("sa-"),
        },
        new()
        {
            Resource = "v1/persistentvolumes",
            Make = (name, _) => Object("v1", "PersistentVolume", name, null, new()
            {
                ["spec"] = new JsonObject
                {
                    ["capacity"] = new JsonObject { ["storage"] = "1Gi" },
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["hostPath"] = new JsonObject { ["path"] = "/tmp/conformance" },
                    ["persistentVolumeReclaimPolicy"] = "Retain",
                    ["storageClassName"] = "conformance-pv",
                },
            }),
            Pointer = "/spec/persistentVolumeReclaimPolicy",
            Values = [.. new[] { "Delete", "Retain", "Delete", "Retain", "Delete" }.Select(v => (JsonNode)JsonValue.Create(v))],
            Status = new("/spec/persistentVolumeReclaimPolicy", JsonValue.Create("Delete"), "/status/message", [JsonValue.Create("one"), JsonValue.Create("two")]),
        },
        new()
        {
            Resource = "v1/persistentvolumeclaims",
            Make = (name, ns) => Object("v1", "PersistentVolumeClaim", name, ns, new()
            {
                ["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
                    ["storageClassName"] = "conformance-none",
                },
            }, Annotated()),
            // A claim's spec is immutable but for requests of a bound claim.
            Pointer = AnnotationPointer,
            Values = Strings("pvc-"),
            Status = new("/spec/resources/requests/storage", JsonValue.Create("5Gi"), "/status/capacity/storage", [JsonValue.Create("2Gi"), JsonValue.Create("3Gi")]),
        },
        new()
        {
            Resource = "v1/replicationcontrollers",
            Make = (name, ns) => Object("v1", "ReplicationController", name, ns, new()
            {
                ["spec"] = new JsonObject { ["replicas"] = 0, ["minReadySeconds"] = 1, ["selector"] = new JsonObject { ["app"] = name }, ["template"] = Template(name) },
            }),
            Pointer = "/spec/minReadySeconds",
            Values = Ints(2),
            Status = new("/spec/replicas", JsonValue.Create(3), "/status/replicas", [JsonValue.Create(7), JsonValue.Create(8)]),
        },
        new()
        {
            Resource = "apps/v1/deployments",
            Make = (name, ns) => Object("apps/v1", "Deployment", name, ns, new()
            {
                ["spec"] = new JsonObject { ["replicas"] = 0, ["minReadySeconds"] = 1, ["selector"] = Selector(name), ["template"] = Template(name) },
            }),
            Pointer = "/spec/minReadySeconds",
            Values = Ints(2),
            Status = new("/spec/replicas", JsonValue.Create(3), "/status/collisionCount", [JsonValue.Create(7), JsonValue.Create(8)]),
        },
        new()
        {
            Resource = "apps/v1/replicasets",
            Make = (name, ns) => Object("apps/v1", "ReplicaSet", name, ns, new()
            {
                ["spec"] = new JsonObject { ["replicas"] = 0, ["minReadySeconds"] = 1, ["selector"] = Selector(name), ["template"] = Template(name) },
            }),
            Pointer = "/spec/minReadySeconds",
            Values = Ints(2),
            Status = new("/spec/replicas", JsonValue.Create(3), "/status/replicas", [JsonValue.Create(7), JsonValue.Create(8)]),
        },
        new()
        {
            Resource = "apps/v1/statefulsets",
            Make = (name, ns) => Object("apps/v1", "StatefulSet", name, ns, new()
            {
                ["spec"] = new JsonObject
                {
                    ["replicas"] = 0, ["minReadySeconds"] = 1, ["serviceName"] = name, ["selector"] = Selector(name), ["template"] = Template(name),
                },
            }),
            Pointer = "/spec/minReadySeconds",
            Values = Ints(2),
            Status = new("/spec/replicas", JsonValue.Create(3), "/status/collisionCount", [JsonValue.Create(7), JsonValue.Create(8)]),
        },
        new()
        {
            Resource = "apps/v1/daemonsets",
            Make = (name, ns) => Object("apps/v1", "DaemonSet", name, ns, new()
            {
                ["spec"] = new JsonObject { ["minReadySeconds"] = 1, ["selector"] = Selector(name), ["template"] = Template(name) },
            }),
            Pointer = "/spec/minReadySeconds",
            Values = Ints(2),
            Status = new("/spec/minReadySeconds", JsonValue.Create(30), "/status/collisionCount", [JsonValue.Create(7), JsonValue.Create(8)]),
        },
        new()
        {
            Resource = "batch/v1/jobs",
            Make = (name, ns) => Object("batch/v1", "Job", name, ns, new()
            {
                // Suspended: the job controller starts no pod.
                ["spec"] = new JsonObject { ["suspend"] = true, ["parallelism"] = 1, ["template"] = new JsonObject { ["spec"] = PodSpec("Never") } },
            }),
            Pointer = "/spec/parallelism",
            Values = Ints(2),
            Status = new("/spec/parallelism", JsonValue.Create(9), "/status/active", [JsonValue.Create(7), JsonValue.Create(8)]),
        },
        new()
        {
            Resource = "batch/v1/cronjobs",
            Make = (name, ns) => Object("batch/v1", "CronJob", name, ns, new()
            {
                ["spec"] = new JsonObject
                {
                    ["schedule"] = "0 0 1 1 *",
                    ["suspend"] = true,
                    ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = PodSpec("Never") } } },
                },
            }),
            Pointer = "/spec/schedule",
            Values = [.. Enumerable.Range(2, 5).Select(d => (JsonNode)JsonValue.Create($"0 0 {d} 1 *"))],
            Status = new("/spec/suspend", JsonValue.Create(false), "/status/lastScheduleTime",
                [JsonValue.Create("2026-01-01T00:00:00Z"), JsonValue.Create("2026-01-02T00:00:00Z")]),
        },
        new()
        {
            Resource = "networking.k8s.io/v1/ingresses",
            Make = (name, ns) => Object("networking.k8s.io/v1", "Ingress", name, ns, new()
            {
                ["spec"] = Node("""{"defaultBackend":{"service":{"name":"initial","port":{"number":80}}}}"""),
            }),
            Pointer = "/spec/defaultBackend/service/name",
            Values = Strings("backend-"),
            Status = new("/spec/defaultBackend/service/name", JsonValue.Create("ignored"), "/status/loadBalancer/ingress",
                [Node("""[{"ip":"192.0.2.7"}]"""), Node("""[{"ip":"192.0.2.8"}]""")]),
        },
        new()
        {
            Resource = "networking.k8s.io/v1/ingressclasses",
            Make = (name, _) => Object("networking.k8s.io/v1", "IngressClass", name, null, new()
            {
                ["spec"] = new JsonObject { ["controller"] = "conformance.example.com/ingress" },
            }, Annotated()),
            // spec.controller is immutable.
            Pointer = AnnotationPointer,
            Values = Strings("ic-"),
        },
        new()
        {
            Resource = "networking.k8s.io/v1/networkpolicies",
            Make = (name, ns) => Object("networking.k8s.io/v1", "NetworkPolicy", name, ns, new()
            {
                ["spec"] = new JsonObject { ["podSelector"] = Selector("initial") },
            }),
            Pointer = "/spec/podSelector/matchLabels/app",
            Values = Strings("np-"),
        },
        new()
        {
            Resource = "storage.k8s.io/v1/storageclasses",
            Make = (name, _) => Object("storage.k8s.io/v1", "StorageClass", name, null, new() { ["provisioner"] = "conformance.example.com/none" }, Annotated()),
            // provisioner and parameters are immutable; allowVolumeExpansion is a bool that disappears when false.
            Pointer = AnnotationPointer,
            Values = Strings("sc-"),
        },
        new()
        {
            Resource = "coordination.k8s.io/v1/leases",
            Make = (name, ns) => Object("coordination.k8s.io/v1", "Lease", name, ns, new() { ["spec"] = new JsonObject { ["holderIdentity"] = "initial" } }),
            Pointer = "/spec/holderIdentity",
            Values = Strings("holder-"),
        },
        new()
        {
            Resource = "policy/v1/poddisruptionbudgets",
            Make = (name, ns) => Object("policy/v1", "PodDisruptionBudget", name, ns, new()
            {
                ["spec"] = new JsonObject { ["minAvailable"] = 1, ["selector"] = Selector(name) },
            }),
            Pointer = "/spec/minAvailable",
            Values = Ints(2),
            Status = new("/spec/minAvailable", JsonValue.Create(9), "/status/expectedPods", [JsonValue.Create(7), JsonValue.Create(8)]),
        },
        new()
        {
            Resource = "rbac.authorization.k8s.io/v1/roles",
            Make = (name, ns) => Object("rbac.authorization.k8s.io/v1", "Role", name, ns, new() { ["rules"] = ReadConfigMaps() }, Annotated()),
            // rules is an atomic list; the annotation is a field every write method reaches the same way.
            Pointer = AnnotationPointer,
            Values = Strings("role-"),
        },
        new()
        {
            Resource = "rbac.authorization.k8s.io/v1/clusterroles",
            Make = (name, _) => Object("rbac.authorization.k8s.io/v1", "ClusterRole", name, null, new() { ["rules"] = ReadConfigMaps() }, Annotated()),
            Pointer = AnnotationPointer,
            Values = Strings("clusterrole-"),
        },
        new()
        {
            Resource = "rbac.authorization.k8s.io/v1/rolebindings",
            Make = (name, ns) => Object("rbac.authorization.k8s.io/v1", "RoleBinding", name, ns, Binding("Role", name), Annotated()),
            // roleRef is immutable.
            Pointer = AnnotationPointer,
            Values = Strings("rolebinding-"),
        },
        new()
        {
            Resource = "rbac.authorization.k8s.io/v1/clusterrolebindings",
            Make = (name, _) => Object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", name, null, Binding("ClusterRole", name), Annotated()),
            Pointer = AnnotationPointer,
            Values = Strings("clusterrolebinding-"),
        },
        new()
        {
            Resource = CustomResourceDefinitions,
            // A CRD's name is <plural>.<group>.
            Name = name => $"{name}s.crd.conformance.example.com",
            Make = (name, _) => CustomResourceDefinition(name),
            // names and versions are lists or constrained; scope is immutable.
            Pointer = AnnotationPointer,
            Values = Strings("crd-"),
            Status = new("/spec/names/singular", JsonValue.Create("ignored"), "/status/conditions", Conditions("ConformanceProbe")),
            // The customresourcecleanup finalizer: the CRD is Terminating until its objects are gone.
            Deletion = DeletionExpectation.Finalized(),
        },
        new()
        {
            Resource = Widgets,
            Make = (name, ns) => Object("conformance.example.com/v1", "Widget", name, ns, new()
            {
                ["spec"] = new JsonObject { ["size"] = "initial", ["count"] = 1 },
            }),
            Pointer = "/spec/size",
            Values = Strings("size-"),
            Status = new("/spec/count", JsonValue.Create(99), "/status/phase", [JsonValue.Create("One"), JsonValue.Create("Two")]),
            StrategicMerge = false,
            WrongKindIsInvalid = true,
        },
    ];

    /// <summary>The row of a resource, or null when the table has none.</summary>
    public static KindFixture? Find(string resource) => Rows.FirstOrDefault(r => r.Resource == resource);

    /// <summary>A CRD of a kind nobody uses, named plural.group: "k1234s.crd.conformance.example.com".</summary>
    private static JsonObject CustomResourceDefinition(string name)
    {
        var dot = name.IndexOf('.');
        var plural = name[..dot];
        var singular = plural[..^1];
        var kind = char.ToUpperInvariant(singular[0]) + singular[1..];
        return Object("apiextensions.k8s.io/v1", "CustomResourceDefinition", name, null, new()
        {
            ["spec"] = new JsonObject
            {
                ["group"] = name[(dot + 1)..],
                ["scope"] = "Namespaced",
                ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = singular, ["kind"] = kind, ["listKind"] = kind + "List" },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "v1",
                    ["served"] = true,
                    ["storage"] = true,
                    ["schema"] = Node("""
                        {"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"string"}}}}}}
                        """),
                }),
            },
        }, Annotated());
    }

    private static JsonObject With(JsonObject o, string key, JsonNode value)
    {
        o[key] = value;
        return o;
    }
}
