using static Orchestrator.Api.Protobuf.ProtoField;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto (field numbers as of v1.32).</summary>
internal static class MetaV1Schema
{
    public static readonly ProtoMessage OwnerReference = new(
        "OwnerReference",
        Str(1, "kind").Pointer(),
        Str(3, "name").Pointer(),
        Str(4, "uid").Pointer(),
        Str(5, "apiVersion").Pointer(),
        Bool(6, "controller").Pointer(),
        Bool(7, "blockOwnerDeletion").Pointer());

    public static readonly ProtoMessage ObjectMeta = new(
        "ObjectMeta",
        Str(1, "name"),
        Str(2, "generateName"),
        Str(3, "namespace"),
        Str(4, "selfLink"),
        Str(5, "uid"),
        Str(6, "resourceVersion"),
        I64(7, "generation"),
        Time(8, "creationTimestamp"),
        Time(9, "deletionTimestamp"),
        I64(10, "deletionGracePeriodSeconds").Pointer(),
        StrMap(11, "labels"),
        StrMap(12, "annotations"),
        Msgs(13, "ownerReferences", OwnerReference),
        Strs(14, "finalizers"));

    public static readonly ProtoMessage LabelSelectorRequirement = new(
        "LabelSelectorRequirement",
        Str(1, "key").Pointer(),
        Str(2, "operator").Pointer(),
        Strs(3, "values"));

    public static readonly ProtoMessage LabelSelector = new(
        "LabelSelector",
        StrMap(1, "matchLabels"),
        Msgs(2, "matchExpressions", LabelSelectorRequirement));
}
