using static Orchestrator.Api.Protobuf.ProtoField;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>k8s.io/api/autoscaling/v1/generated.proto (field numbers as of v1.32).</summary>
internal static class AutoscalingV1Schema
{
    public static readonly ProtoMessage CrossVersionObjectReference = new(
        "CrossVersionObjectReference",
        Str(1, "kind").Pointer(),
        Str(2, "name").Pointer(),
        Str(3, "apiVersion"));

    public static readonly ProtoMessage HorizontalPodAutoscalerSpec = new(
        "HorizontalPodAutoscalerSpec",
        Msg(1, "scaleTargetRef", CrossVersionObjectReference),
        I32(2, "minReplicas").Pointer(),
        I32(3, "maxReplicas").Pointer(),
        I32(4, "targetCPUUtilizationPercentage").Pointer());

    public static readonly ProtoMessage HorizontalPodAutoscaler = new(
        "HorizontalPodAutoscaler",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", HorizontalPodAutoscalerSpec));
}
