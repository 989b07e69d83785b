using static Orchestrator.Api.Protobuf.ProtoField;

namespace Orchestrator.Api.Protobuf.Schemas;

/// <summary>
/// k8s.io/api/core/v1/generated.proto (field numbers as of v1.32): the kinds kubectl's generators
/// post and the pod template they share. Volumes, probes and lifecycle hooks are not described
/// (no generator sets them); their fields are skipped.
/// </summary>
internal static class CoreV1Schema
{
    public static readonly ProtoMessage ConfigMap = new(
        "ConfigMap",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        StrMap(2, "data"),
        BytesMap(3, "binaryData"),
        Bool(4, "immutable").Pointer());

    public static readonly ProtoMessage Secret = new(
        "Secret",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        BytesMap(2, "data"),
        Str(3, "type"),
        StrMap(4, "stringData"),
        Bool(5, "immutable").Pointer());

    public static readonly ProtoMessage NamespaceSpec = new("NamespaceSpec", Strs(1, "finalizers"));

    public static readonly ProtoMessage Namespace = new(
        "Namespace",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", NamespaceSpec));

    public static readonly ProtoMessage ServicePort = new(
        "ServicePort",
        Str(1, "name"),
        Str(2, "protocol"),
        I32(3, "port").Pointer(),
        IntStr(4, "targetPort"),
        I32(5, "nodePort"),
        Str(6, "appProtocol").Pointer());

    public static readonly ProtoMessage ServiceSpec = new(
        "ServiceSpec",
        Msgs(1, "ports", ServicePort),
        StrMap(2, "selector"),
        Str(3, "clusterIP"),
        Str(4, "type"),
        Strs(5, "externalIPs"),
        Str(7, "sessionAffinity"),
        Str(8, "loadBalancerIP"),
        Strs(9, "loadBalancerSourceRanges"),
        Str(10, "externalName"),
        Str(11, "externalTrafficPolicy"),
        I32(12, "healthCheckNodePort"),
        Bool(13, "publishNotReadyAddresses"),
        Str(17, "ipFamilyPolicy").Pointer(),
        Strs(18, "clusterIPs"),
        Strs(19, "ipFamilies"),
        Bool(20, "allocateLoadBalancerNodePorts").Pointer(),
        Str(21, "loadBalancerClass").Pointer(),
        Str(22, "internalTrafficPolicy").Pointer(),
        Str(23, "trafficDistribution").Pointer());

    public static readonly ProtoMessage Service = new(
        "Service",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", ServiceSpec));

    public static readonly ProtoMessage LocalObjectReference = new("LocalObjectReference", Str(1, "name"));

    public static readonly ProtoMessage ServiceAccount = new(
        "ServiceAccount",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msgs(3, "imagePullSecrets", LocalObjectReference),
        Bool(4, "automountServiceAccountToken").Pointer());

    public static readonly ProtoMessage ContainerPort = new(
        "ContainerPort",
        Str(1, "name"),
        I32(2, "hostPort"),
        I32(3, "containerPort").Pointer(),
        Str(4, "protocol"),
        Str(5, "hostIP"));

    public static readonly ProtoMessage ObjectFieldSelector = new(
        "ObjectFieldSelector",
        Str(1, "apiVersion"),
        Str(2, "fieldPath").Pointer());

    public static readonly ProtoMessage ResourceFieldSelector = new(
        "ResourceFieldSelector",
        Str(1, "containerName"),
        Str(2, "resource").Pointer(),
        Quantity(3, "divisor"));

    /// <summary>ConfigMapKeySelector and SecretKeySelector share this shape.</summary>
    public static readonly ProtoMessage KeySelector = new(
        "KeySelector",
        Embedded(1, LocalObjectReference),
        Str(2, "key").Pointer(),
        Bool(3, "optional").Pointer());

    public static readonly ProtoMessage EnvVarSource = new(
        "EnvVarSource",
        Msg(1, "fieldRef", ObjectFieldSelector),
        Msg(2, "resourceFieldRef", ResourceFieldSelector),
        Msg(3, "configMapKeyRef", KeySelector),
        Msg(4, "secretKeyRef", KeySelector));

    public static readonly ProtoMessage EnvVar = new(
        "EnvVar",
        Str(1, "name").Pointer(),
        Str(2, "value"),
        Msg(3, "valueFrom", EnvVarSource));

    /// <summary>ConfigMapEnvSource and SecretEnvSource share this shape.</summary>
    public static readonly ProtoMessage EnvSource = new(
        "EnvSource",
        Embedded(1, LocalObjectReference),
        Bool(2, "optional").Pointer());

    public static readonly ProtoMessage EnvFromSource = new(
        "EnvFromSource",
        Str(1, "prefix"),
        Msg(2, "configMapRef", EnvSource),
        Msg(3, "secretRef", EnvSource));

    public static readonly ProtoMessage ResourceClaim = new(
        "ResourceClaim",
        Str(1, "name").Pointer(),
        Str(2, "request"));

    public static readonly ProtoMessage ResourceRequirements = new(
        "ResourceRequirements",
        QuantityMap(1, "limits"),
        QuantityMap(2, "requests"),
        Msgs(3, "claims", ResourceClaim));

    public static readonly ProtoMessage VolumeMount = new(
        "VolumeMount",
        Str(1, "name").Pointer(),
        Bool(2, "readOnly"),
        Str(3, "mountPath").Pointer(),
        Str(4, "subPath"),
        Str(5, "mountPropagation").Pointer(),
        Str(6, "subPathExpr"),
        Str(7, "recursiveReadOnly").Pointer());

    public static readonly ProtoMessage Capabilities = new(
        "Capabilities",
        Strs(1, "add"),
        Strs(2, "drop"));

    public static readonly ProtoMessage SeccompProfile = new(
        "SeccompProfile",
        Str(1, "type").Pointer(),
        Str(2, "localhostProfile").Pointer());

    public static readonly ProtoMessage SecurityContext = new(
        "SecurityContext",
        Msg(1, "capabilities", Capabilities),
        Bool(2, "privileged").Pointer(),
        I64(4, "runAsUser").Pointer(),
        Bool(5, "runAsNonRoot").Pointer(),
        Bool(6, "readOnlyRootFilesystem").Pointer(),
        Bool(7, "allowPrivilegeEscalation").Pointer(),
        I64(8, "runAsGroup").Pointer(),
        Str(9, "procMount").Pointer(),
        Msg(11, "seccompProfile", SeccompProfile));

    public static readonly ProtoMessage Container = new(
        "Container",
        Str(1, "name").Pointer(),
        Str(2, "image"),
        Strs(3, "command"),
        Strs(4, "args"),
        Str(5, "workingDir"),
        Msgs(6, "ports", ContainerPort),
        Msgs(7, "env", EnvVar),
        Msg(8, "resources", ResourceRequirements),
        Msgs(9, "volumeMounts", VolumeMount),
        Str(13, "terminationMessagePath"),
        Str(14, "imagePullPolicy"),
        Msg(15, "securityContext", SecurityContext),
        Bool(16, "stdin"),
        Bool(17, "stdinOnce"),
        Bool(18, "tty"),
        Msgs(19, "envFrom", EnvFromSource),
        Str(20, "terminationMessagePolicy"),
        Str(24, "restartPolicy").Pointer());

    public static readonly ProtoMessage Sysctl = new(
        "Sysctl",
        Str(1, "name").Pointer(),
        Str(2, "value").Pointer());

    public static readonly ProtoMessage PodSecurityContext = new(
        "PodSecurityContext",
        I64(2, "runAsUser").Pointer(),
        Bool(3, "runAsNonRoot").Pointer(),
        I64s(4, "supplementalGroups"),
        I64(5, "fsGroup").Pointer(),
        I64(6, "runAsGroup").Pointer(),
        Msgs(7, "sysctls", Sysctl),
        Str(9, "fsGroupChangePolicy").Pointer(),
        Msg(10, "seccompProfile", SeccompProfile));

    public static readonly ProtoMessage Toleration = new(
        "Toleration",
        Str(1, "key"),
        Str(2, "operator"),
        Str(3, "value"),
        Str(4, "effect"),
        I64(5, "tolerationSeconds").Pointer());

    public static readonly ProtoMessage PodSpec = new(
        "PodSpec",
        Msgs(2, "containers", Container),
        Str(3, "restartPolicy"),
        I64(4, "terminationGracePeriodSeconds").Pointer(),
        I64(5, "activeDeadlineSeconds").Pointer(),
        Str(6, "dnsPolicy"),
        StrMap(7, "nodeSelector"),
        Str(8, "serviceAccountName"),
        Str(9, "serviceAccount"),
        Str(10, "nodeName"),
        Bool(11, "hostNetwork"),
        Bool(12, "hostPID"),
        Bool(13, "hostIPC"),
        Msg(14, "securityContext", PodSecurityContext),
        Msgs(15, "imagePullSecrets", LocalObjectReference),
        Str(16, "hostname"),
        Str(17, "subdomain"),
        Str(19, "schedulerName"),
        Msgs(20, "initContainers", Container),
        Bool(21, "automountServiceAccountToken").Pointer(),
        Msgs(22, "tolerations", Toleration),
        Str(24, "priorityClassName"),
        I32(25, "priority").Pointer(),
        Bool(27, "shareProcessNamespace").Pointer(),
        Str(29, "runtimeClassName").Pointer(),
        Bool(30, "enableServiceLinks").Pointer(),
        Str(31, "preemptionPolicy").Pointer(),
        Bool(35, "setHostnameAsFQDN").Pointer(),
        Bool(37, "hostUsers").Pointer());

    public static readonly ProtoMessage PodTemplateSpec = new(
        "PodTemplateSpec",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", PodSpec));

    public static readonly ProtoMessage Pod = new(
        "Pod",
        Msg(1, "metadata", MetaV1Schema.ObjectMeta),
        Msg(2, "spec", PodSpec));
}
