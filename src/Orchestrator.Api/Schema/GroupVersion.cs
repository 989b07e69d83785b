namespace Orchestrator.Api.Schema;

/// <summary>An API group and version, e.g. ("apps", "v1"); the core group is "".</summary>
public readonly record struct GroupVersion(string Group, string Version)
{
    /// <summary>The apiVersion field form: "v1" for core, "apps/v1" otherwise.</summary>
    public string ApiVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";

    /// <summary>Parses an apiVersion field ("v1", "apps/v1").</summary>
    public static GroupVersion Parse(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        int slash = apiVersion.IndexOf('/');
        if (slash < 0)
        {
            return new GroupVersion("", apiVersion);
        }

        if (slash == 0 || slash == apiVersion.Length - 1 || apiVersion.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"unexpected GroupVersion string: {apiVersion}");
        }

        return new GroupVersion(apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    public override string ToString() => ApiVersion;
}
