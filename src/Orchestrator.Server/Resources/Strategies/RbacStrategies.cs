using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Role and ClusterRole: every rule names verbs, and either resources (with API groups) or, cluster-wide only, non-resource URLs.</summary>
public sealed class RoleStrategy(bool clusterScoped) : ResourceStrategy
{
    public override IReadOnlyList<string> CheckName(string name) => RbacNames.Check(name);

    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var index = 0;
        foreach (var rule in obj.Items("rules"))
        {
            var path = FieldPath.Root("rules").Index(index++);
            if (!rule.Strings("verbs").Any())
                errors.Required(path.Child("verbs"), "verbs must contain at least one value");
            var urls = rule.Strings("nonResourceURLs").Any();
            var resources = rule.Strings("resources").Any();
            if (urls && !clusterScoped)
                errors.Invalid(path.Child("nonResourceURLs"), rule.Strings("nonResourceURLs").ToList(), "namespaced rules cannot apply to non-resource URLs");
            if (urls && resources)
                errors.Invalid(path.Child("nonResourceURLs"), rule.Strings("nonResourceURLs").ToList(), "rules cannot apply to both regular resources and non-resource URLs");
            if (!urls && !resources)
                errors.Required(path.Child("resources"), "resource rules must supply at least one resource");
            if (resources && !rule.Strings("apiGroups").Any())
                errors.Required(path.Child("apiGroups"), "resource rules must supply at least one api group");
        }
    }
}

/// <summary>RoleBinding and ClusterRoleBinding: a roleRef to a Role or ClusterRole that never changes, and well-formed subjects.</summary>
public sealed class RoleBindingStrategy(bool clusterScoped) : ResourceStrategy
{
    private static readonly string[] SubjectKinds = ["User", "Group", "ServiceAccount"];

    public override IReadOnlyList<string> CheckName(string name) => RbacNames.Check(name);

    public override void ApplyDefaults(JsonObject obj)
    {
        foreach (var subject in obj.Items("subjects"))
        {
            if (subject.Str("kind") is "User" or "Group")
                subject.Default("apiGroup", "rbac.authorization.k8s.io");
        }
    }

    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var roleRef = FieldPath.Root("roleRef");
        if (obj.Str("roleRef", "apiGroup") != "rbac.authorization.k8s.io")
            errors.NotSupported(roleRef.Child("apiGroup"), obj.Str("roleRef", "apiGroup") ?? "", ["rbac.authorization.k8s.io"]);
        var kinds = clusterScoped ? new[] { "ClusterRole" } : ["Role", "ClusterRole"];
        if (!kinds.Contains(obj.Str("roleRef", "kind")))
            errors.NotSupported(roleRef.Child("kind"), obj.Str("roleRef", "kind") ?? "", kinds);
        if (string.IsNullOrEmpty(obj.Str("roleRef", "name")))
            errors.Required(roleRef.Child("name"));
        var index = 0;
        foreach (var subject in obj.Items("subjects"))
        {
            var path = FieldPath.Root("subjects").Index(index++);
            var kind = subject.Str("kind");
            if (!SubjectKinds.Contains(kind))
                errors.NotSupported(path.Child("kind"), kind ?? "", SubjectKinds);
            if (string.IsNullOrEmpty(subject.Str("name")))
                errors.Required(path.Child("name"));
            if (kind == "ServiceAccount" && clusterScoped && string.IsNullOrEmpty(subject.Str("namespace")))
                errors.Required(path.Child("namespace"));
        }
    }

    public override void ValidateUpdate(JsonObject obj, JsonObject old, FieldErrorList errors)
    {
        Validate(obj, errors);
        if (!obj["roleRef"].SameAs(old["roleRef"]))
            errors.Invalid(FieldPath.Root("roleRef"), obj["roleRef"]?.ToJsonString(), "cannot change roleRef");
    }
}

/// <summary>RBAC object names are path segments (system:node, system:aggregate-to-view), not DNS names, as kube validates them.</summary>
internal static class RbacNames
{
    public static IReadOnlyList<string> Check(string name) =>
        name is "." or ".." ? [$"may not be '{name}'"]
        : name.Contains('/') ? ["may not contain '/'"]
        : name.Contains('%') ? ["may not contain '%'"]
        : [];
}
