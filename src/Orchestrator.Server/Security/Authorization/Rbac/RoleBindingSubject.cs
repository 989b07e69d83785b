using System.Text.Json.Nodes;

namespace Orchestrator.Server.Security.Authorization.Rbac;

/// <summary>A binding's subject: a User, Group or ServiceAccount (whose user is system:serviceaccount:NS:NAME).</summary>
public sealed record RoleBindingSubject(string Kind, string Name, string Namespace)
{
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    public static RoleBindingSubject FromJson(JsonObject subject, string bindingNamespace) =>
        new(subject.Str("kind") ?? "", subject.Str("name") ?? "", subject.Str("namespace") is { Length: > 0 } ns ? ns : bindingNamespace);

    public bool AppliesTo(UserInfo user) => Kind switch
    {
        "User" => user.Name == Name,
        "Group" => user.Groups.Contains(Name),
        "ServiceAccount" => Namespace.Length > 0 && user.Name == $"{ServiceAccountPrefix}{Namespace}:{Name}",
        _ => false,
    };
}
