using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>apps/v1 rows: Deployment, ReplicaSet, StatefulSet, DaemonSet; and core/v1 ReplicationController, a ReplicaSet's elder.</summary>
internal static class AppsPrinters
{
    public static TablePrinter Deployment { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Ready", "Number of the pod with ready state"),
            CommonColumns.Text("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            CommonColumns.Text("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            CommonColumns.Age,
            CommonColumns.Containers,
            CommonColumns.Images,
            CommonColumns.Selector,
        ],
        DeploymentCells);

    public static TablePrinter ReplicaSet { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Integer("Desired", "Replicas is the number of desired replicas."),
            CommonColumns.Integer("Current", "Replicas is the most recently observed number of replicas."),
            CommonColumns.Integer("Ready", "The number of ready replicas for this replica set."),
            CommonColumns.Age,
            CommonColumns.Containers,
            CommonColumns.Images,
            CommonColumns.Selector,
        ],
        (obj, now) => ReplicaSetCells(obj, now, LabelFormat.FormatSelector(obj.At("spec", "selector"))));

    /// <summary>A ReplicaSet's columns; its selector is a plain label map, printed as labels are.</summary>
    public static TablePrinter ReplicationController { get; } = new(
        ReplicaSet.Columns,
        (obj, now) => ReplicaSetCells(obj, now, LabelFormat.Labels(obj.At("spec", "selector"))));

    public static TablePrinter StatefulSet { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Ready", "Number of the pod with ready state"),
            CommonColumns.Age,
            CommonColumns.Containers,
            CommonColumns.Images,
        ],
        StatefulSetCells);

    public static TablePrinter DaemonSet { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
            CommonColumns.Integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
            CommonColumns.Integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
            CommonColumns.Integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
            CommonColumns.Integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            CommonColumns.Text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
            CommonColumns.Age,
            CommonColumns.Containers,
            CommonColumns.Images,
            CommonColumns.Selector,
        ],
        DaemonSetCells);

    private static JsonArray DeploymentCells(JsonObject obj, DateTimeOffset now)
    {
        JsonNode? status = obj["status"];
        (string names, string images) = PodTemplateCells.Containers(obj.At("spec", "template", "spec"));
        return new JsonArray(
            obj.Name(),
            $"{status.Long("readyReplicas") ?? 0}/{DesiredReplicas(obj)}",
            status.Long("updatedReplicas") ?? 0,
            status.Long("availableReplicas") ?? 0,
            HumanDuration.Since(obj.Created(), now),
            names,
            images,
            // Deployments print the bare selector ("" when empty), unlike the other kinds.
            LabelFormat.Selector(obj.At("spec", "selector")) ?? "<invalid>");
    }

    private static JsonArray ReplicaSetCells(JsonObject obj, DateTimeOffset now, string selector)
    {
        JsonNode? status = obj["status"];
        (string names, string images) = PodTemplateCells.Containers(obj.At("spec", "template", "spec"));
        return new JsonArray(
            obj.Name(),
            DesiredReplicas(obj),
            status.Long("replicas") ?? 0,
            status.Long("readyReplicas") ?? 0,
            HumanDuration.Since(obj.Created(), now),
            names,
            images,
            selector);
    }

    private static JsonArray StatefulSetCells(JsonObject obj, DateTimeOffset now)
    {
        (string names, string images) = PodTemplateCells.Containers(obj.At("spec", "template", "spec"));
        return new JsonArray(
            obj.Name(),
            $"{obj.Long("status", "readyReplicas") ?? 0}/{DesiredReplicas(obj)}",
            HumanDuration.Since(obj.Created(), now),
            names,
            images);
    }

    private static JsonArray DaemonSetCells(JsonObject obj, DateTimeOffset now)
    {
        JsonNode? status = obj["status"];
        JsonNode? podSpec = obj.At("spec", "template", "spec");
        (string names, string images) = PodTemplateCells.Containers(podSpec);
        return new JsonArray(
            obj.Name(),
            status.Long("desiredNumberScheduled") ?? 0,
            status.Long("currentNumberScheduled") ?? 0,
            status.Long("numberReady") ?? 0,
            status.Long("updatedNumberScheduled") ?? 0,
            status.Long("numberAvailable") ?? 0,
            LabelFormat.Labels(podSpec.At("nodeSelector")),
            HumanDuration.Since(obj.Created(), now),
            names,
            images,
            LabelFormat.FormatSelector(obj.At("spec", "selector")));
    }

    /// <summary>spec.replicas; 1 when absent, the API default every stored object would carry.</summary>
    private static long DesiredReplicas(JsonObject obj) => obj.Long("spec", "replicas") ?? 1;
}
