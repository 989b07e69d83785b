using System.Text.Json.Nodes;
using Orchestrator.Api.Objects;

namespace Orchestrator.Api.Tables;

/// <summary>rbac.authorization.k8s.io/v1 bindings: the role and (wide) the subjects. Roles print as <see cref="DefaultTablePrinter"/>.</summary>
internal static class RbacPrinters
{
    public static TablePrinter RoleBinding { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Role", "Role references the role this binding grants."),
            CommonColumns.Age,
            CommonColumns.Wide("Users", "Users in the binding."),
            CommonColumns.Wide("Groups", "Groups in the binding."),
            CommonColumns.Wide("ServiceAccounts", "ServiceAccounts in the binding."),
        ],
        (obj, now) => new JsonArray(
            obj.Name(),
            $"{obj.Str("roleRef", "kind")}/{obj.Str("roleRef", "name")}",
            HumanDuration.Since(obj.Created(), now),
            Subjects(obj, "User"),
            Subjects(obj, "Group"),
            Subjects(obj, "ServiceAccount")));

    private static string Subjects(JsonObject binding, string kind) =>
        string.Join(", ", binding.Items("subjects")
            .Where(s => s.Str("kind") == kind)
            .Select(s => kind == "ServiceAccount" ? $"{s.Str("namespace")}/{s.Str("name")}" : s.Str("name") ?? ""));
}
