using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Tests.Patching;

public sealed class KubernetesPatchSchemaTests
{
    [Theory]
    [InlineData("spec.containers", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.initContainers", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.ephemeralContainers", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.template.spec.containers", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.jobTemplate.spec.template.spec.containers", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.template.spec.containers.ports", ListMergeKind.MergeByKey, "containerPort")]
    [InlineData("spec.template.spec.initContainers.env", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.containers.volumeMounts", ListMergeKind.MergeByKey, "mountPath")]
    [InlineData("spec.template.spec.volumes", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.imagePullSecrets", ListMergeKind.MergeByKey, "name")]
    [InlineData("spec.ports", ListMergeKind.MergeByKey, "port")]
    [InlineData("status.addresses", ListMergeKind.MergeByKey, "type")]
    [InlineData("status.conditions", ListMergeKind.MergeByKey, "type")]
    [InlineData("metadata.ownerReferences", ListMergeKind.MergeByKey, "uid")]
    [InlineData("spec.template.metadata.ownerReferences", ListMergeKind.MergeByKey, "uid")]
    [InlineData("metadata.finalizers", ListMergeKind.MergePrimitives, null)]
    [InlineData("spec.tolerations", ListMergeKind.Replace, null)]
    [InlineData("spec.taints", ListMergeKind.Replace, null)]
    [InlineData("spec.containers.args", ListMergeKind.Replace, null)]
    [InlineData("spec.containers.command", ListMergeKind.Replace, null)]
    [InlineData("spec.template.spec.ports", ListMergeKind.Replace, null)]
    [InlineData("subsets.addresses", ListMergeKind.Replace, null)]
    [InlineData("spec.rules", ListMergeKind.Replace, null)]
    public void Looks_up_list_strategy_by_path(string path, ListMergeKind kind, string? mergeKey)
    {
        ListMergeStrategy strategy = PatchSchema.Kubernetes.ListStrategy(path.Split('.'));

        Assert.Equal(kind, strategy.Kind);
        Assert.Equal(mergeKey, strategy.MergeKey);
    }
}
