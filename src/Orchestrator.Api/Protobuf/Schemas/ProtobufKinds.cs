using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>The top-level kinds whose protobuf bodies can be decoded, by apiVersion and kind.</summary>
internal static class ProtobufKinds
{
    private static readonly FrozenDictionary<(string ApiVersion, string Kind), ProtoMessage> Messages =
        new Dictionary<(string, string), ProtoMessage>
        {
            [("v1", "ConfigMap")] = CoreV1Schema.ConfigMap,
            [("v1", "Secret")] = CoreV1Schema.Secret,
            [("v1", "Namespace")] = CoreV1Schema.Namespace,
            [("v1", "Service")] = CoreV1Schema.Service,
            [("v1", "ServiceAccount")] = CoreV1Schema.ServiceAccount,
            [("v1", "Pod")] = CoreV1Schema.Pod,
            [("apps/v1", "Deployment")] = AppsV1Schema.Deployment,
            [("batch/v1", "Job")] = BatchV1Schema.Job,
            [("batch/v1", "CronJob")] = BatchV1Schema.CronJob,
            [("authentication.k8s.io/v1", "TokenRequest")] = AuthSchema.TokenRequest,
            [("authentication.k8s.io/v1", "SelfSubjectReview")] = AuthSchema.SelfSubjectReview,
            [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = AuthSchema.SelfSubjectAccessReview,
            [("authorization.k8s.io/v1", "SelfSubjectRulesReview")] = AuthSchema.SelfSubjectRulesReview,
            [("rbac.authorization.k8s.io/v1", "Role")] = RbacV1Schema.Role,
            [("rbac.authorization.k8s.io/v1", "ClusterRole")] = RbacV1Schema.ClusterRole,
            [("rbac.authorization.k8s.io/v1", "RoleBinding")] = RbacV1Schema.RoleBinding,
            [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = RbacV1Schema.ClusterRoleBinding,
            [("autoscaling/v1", "HorizontalPodAutoscaler")] = AutoscalingV1Schema.HorizontalPodAutoscaler,
        }.ToFrozenDictionary();

    public static bool TryGet(string apiVersion, string kind, [NotNullWhen(true)] out ProtoMessage? message) =>
        Messages.TryGetValue((apiVersion, kind), out message);
}
