using static Orchestrator.Api.Protobuf.ProtoField;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>k8s.io/api/rbac/v1 generated.proto (field numbers as of v1.32): what kubectl create role/clusterrole/rolebinding sends.</summary>
internal static class RbacV1Schema
{
    public static readonly ProtoMessage PolicyRule = new(
        "PolicyRule",
        Strs(1, "verbs"),
        Strs(2, "apiGroups"),
        Strs(3, "resources"),
        Strs(4, "resourceNames"),
        Strs(5, "nonResourceURLs"));

    public static readonly ProtoMessage AggregationRule = new(
        "AggregationRule",
        Msgs(1, "clusterRoleSelectors", MetaV1Schema.LabelSelector));

    public static readonly ProtoMessage Role = new(
        "Role",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msgs(2, "rules", PolicyRule));

    public static readonly ProtoMessage ClusterRole = new(
        "ClusterRole",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msgs(2, "rules", PolicyRule),
        Msg(3, "aggregationRule", AggregationRule));

    public static readonly ProtoMessage Subject = new(
        "Subject",
        Str(1, "kind"),
        Str(2, "apiGroup"),
        Str(3, "name"),
        Str(4, "namespace"));

    public static readonly ProtoMessage RoleRef = new(
        "RoleRef",
        Str(1, "apiGroup"),
        Str(2, "kind"),
        Str(3, "name"));

    public static readonly ProtoMessage RoleBinding = new(
        "RoleBinding",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msgs(2, "subjects", Subject),
        Msg(3, "roleRef", RoleRef));

    public static readonly ProtoMessage ClusterRoleBinding = new(
        "ClusterRoleBinding",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msgs(2, "subjects", Subject),
        Msg(3, "roleRef", RoleRef));
}
