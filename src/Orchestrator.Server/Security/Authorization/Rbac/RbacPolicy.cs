using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Server.Security.Authorization.Rbac;

/// <summary>A binding reduced to what authorization needs: who, and which role (Role in its namespace, or ClusterRole).</summary>
public sealed record Binding(string Name, string Namespace, string RoleKind, string RoleName, IReadOnlyList<RoleBindingSubject> Subjects)
{
    public static Binding FromJson(JsonObject binding)
    {
        var ns = binding.Namespace() ?? "";
        return new Binding(binding.Name(), ns, binding.Str("roleRef", "kind") ?? "", binding.Str("roleRef", "name") ?? "",
            [.. binding.Items("subjects").Select(s => RoleBindingSubject.FromJson(s, ns))]);
    }
}

/// <summary>
/// An immutable view of every Role, ClusterRole and binding in a replica's store. A ClusterRole with an
/// aggregationRule holds the union of its own rules and those of the ClusterRoles its selectors pick, as kube's
/// aggregation controller writes them.
/// </summary>
public sealed class RbacPolicy
{
    public static RbacPolicy Empty { get; } = new([], [], [], []);

    private readonly FrozenDictionary<string, IReadOnlyList<PolicyRule>> clusterRoles;
    private readonly FrozenDictionary<(string Namespace, string Name), IReadOnlyList<PolicyRule>> roles;
    private readonly IReadOnlyList<Binding> clusterRoleBindings;
    private readonly FrozenDictionary<string, Binding[]> roleBindings;

    public RbacPolicy(IReadOnlyList<JsonObject> clusterRoleObjects, IReadOnlyList<JsonObject> roleObjects,
        IReadOnlyList<JsonObject> clusterRoleBindingObjects, IReadOnlyList<JsonObject> roleBindingObjects)
    {
        clusterRoles = clusterRoleObjects.ToFrozenDictionary(r => r.Name(), r => EffectiveRules(r, clusterRoleObjects));
        roles = roleObjects.ToFrozenDictionary(r => (r.Namespace() ?? "", r.Name()), PolicyRule.ListOf);
        clusterRoleBindings = [.. clusterRoleBindingObjects.Select(Binding.FromJson)];
        roleBindings = roleBindingObjects.Select(Binding.FromJson).GroupBy(b => b.Namespace).ToFrozenDictionary(g => g.Key, g => g.ToArray());
    }

    /// <summary>
    /// Rules of a ClusterRole with aggregation applied, followed through aggregated roles that aggregate in turn
    /// (kube's controller reaches the same fixed point by rewriting roles one after another).
    /// </summary>
    public static IReadOnlyList<PolicyRule> EffectiveRules(JsonObject role, IReadOnlyList<JsonObject> all) =>
        EffectiveRules(role, all, new HashSet<string>());

    private static List<PolicyRule> EffectiveRules(JsonObject role, IReadOnlyList<JsonObject> all, HashSet<string> visited)
    {
        var rules = new List<PolicyRule>(PolicyRule.ListOf(role));
        if (!visited.Add(role.Name()))
            return [];
        var selectors = role.Items("aggregationRule", "clusterRoleSelectors").Select(LabelSelector.FromJson).ToList();
        foreach (var other in selectors.Count == 0 ? [] : all)
        {
            if (visited.Contains(other.Name()))
                continue;
            var labels = other.Obj("metadata", "labels")?.ToDictionary(p => p.Key, p => p.Value.Str() ?? "");
            if (selectors.Any(s => !s.IsNothing && !s.IsEverything && s.Matches(labels)))
                rules.AddRange(EffectiveRules(other, all, visited));
        }
        return rules;
    }

    /// <summary>Whether some binding that applies to the user grants the request; otherwise why not (kube's RBAC reasons).</summary>
    public (bool Allowed, string Reason) Authorize(AuthorizationAttributes a)
    {
        var missing = new List<string>();
        foreach (var rules in RulesFor(a.User, a.Namespace, missing))
        {
            if (rules.Any(rule => rule.Allows(a)))
                return (true, "");
        }
        return (false, missing.Count == 0 ? "" : $"RBAC: {string.Join(", ", missing.Distinct())}");
    }

    /// <summary>Every rule the user holds in a namespace (cluster-wide ones included), for SelfSubjectRulesReview.</summary>
    public IReadOnlyList<PolicyRule> RulesOf(UserInfo user, string ns) => [.. RulesFor(user, ns, []).SelectMany(r => r)];

    private IEnumerable<IReadOnlyList<PolicyRule>> RulesFor(UserInfo user, string ns, List<string> missing)
    {
        foreach (var binding in clusterRoleBindings)
        {
            if (binding.RoleKind != "ClusterRole" || !binding.Subjects.Any(s => s.AppliesTo(user)))
                continue;
            if (clusterRoles.TryGetValue(binding.RoleName, out var rules))
                yield return rules;
            else
                missing.Add($"clusterrole.rbac.authorization.k8s.io \"{binding.RoleName}\" not found");
        }
        if (ns.Length == 0 || !roleBindings.TryGetValue(ns, out var bindings))
            yield break;
        foreach (var binding in bindings)
        {
            if (!binding.Subjects.Any(s => s.AppliesTo(user)))
                continue;
            if (binding.RoleKind == "ClusterRole" && clusterRoles.TryGetValue(binding.RoleName, out var clusterRules))
                yield return clusterRules;
            else if (binding.RoleKind == "Role" && roles.TryGetValue((ns, binding.RoleName), out var roleRules))
                yield return roleRules;
            else
                missing.Add($"{binding.RoleKind.ToLowerInvariant()}.rbac.authorization.k8s.io \"{binding.RoleName}\" not found");
        }
    }
}
