namespace Orchestrator.Api.Selectors;

/// <summary>
/// Field selector support of the built-in kinds, as kube-apiserver offers it (kubectl drain
/// and describe depend on the pod, node and event fields).
/// </summary>
public static class KnownSelectableFields
{
    public static SelectableFields Namespaced { get; } = new(namespaced: true);

    public static SelectableFields ClusterScoped { get; } = new(namespaced: false);

    public static SelectableFields Pods { get; } = new(
        namespaced: true,
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.nominatedNodeName");

    public static SelectableFields Events { get; } = new(
        namespaced: true,
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "type");

    public static SelectableFields Nodes { get; } = new(namespaced: false, "spec.unschedulable");

    public static SelectableFields Namespaces { get; } = new(namespaced: false, "status.phase");

    public static SelectableFields Secrets { get; } = new(namespaced: true, "type");

    public static SelectableFields Services { get; } = new(namespaced: true, "spec.clusterIP", "spec.type");

    public static SelectableFields ReplicaSets { get; } = new(namespaced: true, "status.replicas");

    public static SelectableFields ReplicationControllers { get; } = new(namespaced: true, "status.replicas");

    public static SelectableFields Jobs { get; } = new(namespaced: true, "status.successful");
}
