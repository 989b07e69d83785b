using static Orchestrator.Api.Protobuf.ProtoField;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>k8s.io/api/apps/v1/generated.proto (field numbers as of v1.32).</summary>
internal static class AppsV1Schema
{
    public static readonly ProtoMessage RollingUpdateDeployment = new(
        "RollingUpdateDeployment",
        IntStr(1, "maxUnavailable"),
        IntStr(2, "maxSurge"));

    public static readonly ProtoMessage DeploymentStrategy = new(
        "DeploymentStrategy",
        Str(1, "type"),
        Msg(2, "rollingUpdate", RollingUpdateDeployment));

    public static readonly ProtoMessage DeploymentSpec = new(
        "DeploymentSpec",
        I32(1, "replicas").Pointer(),
        Msg(2, "selector", MetaV1Schema.LabelSelector),
        Msg(3, "template", CoreV1Schema.PodTemplateSpec),
        Msg(4, "strategy", DeploymentStrategy),
        I32(5, "minReadySeconds"),
        I32(6, "revisionHistoryLimit").Pointer(),
        Bool(7, "paused"),
        I32(9, "progressDeadlineSeconds").Pointer());

    public static readonly ProtoMessage Deployment = new(
        "Deployment",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", DeploymentSpec));
}
