using static Orchestrator.Api.Protobuf.ProtoField;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>
/// k8s.io/api/authentication/v1 and authorization/v1 generated.proto (field numbers as of v1.32).
/// Only the request side (spec) is described: status is the server's answer.
/// </summary>
internal static class AuthSchema
{
    public static readonly ProtoMessage BoundObjectReference = new(
        "BoundObjectReference",
        Str(1, "kind"),
        Str(2, "apiVersion"),
        Str(3, "name"),
        Str(4, "uid"));

    public static readonly ProtoMessage TokenRequestSpec = new(
        "TokenRequestSpec",
        Strs(1, "audiences"),
        Msg(3, "boundObjectRef", BoundObjectReference),
        I64(4, "expirationSeconds").Pointer());

    public static readonly ProtoMessage TokenRequest = new(
        "TokenRequest",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", TokenRequestSpec));

    public static readonly ProtoMessage SelfSubjectReview = new(
        "SelfSubjectReview",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta));

    public static readonly ProtoMessage FieldSelectorRequirement = new(
        "FieldSelectorRequirement",
        Str(1, "key").Pointer(),
        Str(2, "operator").Pointer(),
        Strs(3, "values"));

    public static readonly ProtoMessage FieldSelectorAttributes = new(
        "FieldSelectorAttributes",
        Str(1, "rawSelector"),
        Msgs(2, "requirements", FieldSelectorRequirement));

    public static readonly ProtoMessage LabelSelectorAttributes = new(
        "LabelSelectorAttributes",
        Str(1, "rawSelector"),
        Msgs(2, "requirements", MetaV1Schema.LabelSelectorRequirement));

    public static readonly ProtoMessage ResourceAttributes = new(
        "ResourceAttributes",
        Str(1, "namespace"),
        Str(2, "verb"),
        Str(3, "group"),
        Str(4, "version"),
        Str(5, "resource"),
        Str(6, "subresource"),
        Str(7, "name"),
        Msg(8, "fieldSelector", FieldSelectorAttributes),
        Msg(9, "labelSelector", LabelSelectorAttributes));

    public static readonly ProtoMessage NonResourceAttributes = new(
        "NonResourceAttributes",
        Str(1, "path"),
        Str(2, "verb"));

    public static readonly ProtoMessage SelfSubjectAccessReviewSpec = new(
        "SelfSubjectAccessReviewSpec",
        Msg(1, "resourceAttributes", ResourceAttributes),
        Msg(2, "nonResourceAttributes", NonResourceAttributes));

    public static readonly ProtoMessage SelfSubjectAccessReview = new(
        "SelfSubjectAccessReview",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", SelfSubjectAccessReviewSpec));

    public static readonly ProtoMessage SelfSubjectRulesReviewSpec = new(
        "SelfSubjectRulesReviewSpec",
        Str(1, "namespace"));

    public static readonly ProtoMessage SelfSubjectRulesReview = new(
        "SelfSubjectRulesReview",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", SelfSubjectRulesReviewSpec));
}
