namespace Orchestrator.Server.Security;

/// <summary>
/// Who is calling, as Kubernetes' user.Info: a name, a uid (service accounts), groups and extra values
/// (e.g. the pod a bound service-account token names).
/// </summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string AuthenticatedGroup = "system:authenticated";
    public const string UnauthenticatedGroup = "system:unauthenticated";
    public const string MastersGroup = "system:masters";
    public const string AnonymousName = "system:anonymous";

    public static UserInfo Anonymous { get; } = new(AnonymousName, [UnauthenticatedGroup]);

    public string Uid { get; init; } = "";

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public bool IsAnonymous => Name == AnonymousName;

    /// <summary>The same user with system:authenticated added, as every authenticator's result carries it.</summary>
    public UserInfo Authenticated() =>
        Groups.Contains(AuthenticatedGroup) ? this : this with { Groups = [.. Groups, AuthenticatedGroup] };
}
