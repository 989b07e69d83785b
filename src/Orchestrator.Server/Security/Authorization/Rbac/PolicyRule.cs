using System.Text.Json.Nodes;

namespace Orchestrator.Server.Security.Authorization.Rbac;

/// <summary>One rule of a Role or ClusterRole, matched as kube's rbac.RuleAllows does.</summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public static PolicyRule FromJson(JsonObject rule) => new(
        [.. rule.Strings("verbs")], [.. rule.Strings("apiGroups")], [.. rule.Strings("resources")],
        [.. rule.Strings("resourceNames")], [.. rule.Strings("nonResourceURLs")]);

    public static IReadOnlyList<PolicyRule> ListOf(JsonObject role) => [.. role.Items("rules").Select(FromJson)];

    public bool Allows(AuthorizationAttributes a)
    {
        if (!Verbs.Any(v => v == "*" || v == a.Verb))
            return false;
        if (!a.IsResourceRequest)
            return NonResourceUrls.Any(url => url == "*" || url == a.Path || (url.EndsWith('*') && a.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        return ApiGroups.Any(g => g == "*" || g == a.ApiGroup)
            && ResourceMatches(a.Resource, a.Subresource)
            && (ResourceNames.Count == 0 || ResourceNames.Contains(a.Name));
    }

    private bool ResourceMatches(string resource, string subresource)
    {
        var combined = subresource.Length == 0 ? resource : $"{resource}/{subresource}";
        foreach (var rule in Resources)
        {
            if (rule == "*" || rule == combined)
                return true;
            // "*/scale" grants the scale subresource of every resource.
            if (subresource.Length > 0 && rule.Length == subresource.Length + 2 && rule.StartsWith("*/", StringComparison.Ordinal) && rule.EndsWith(subresource, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>The rule as JSON, for rules reviews and aggregated roles.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["verbs"] = Array(Verbs) };
        if (ApiGroups.Count > 0)
            json["apiGroups"] = Array(ApiGroups);
        if (Resources.Count > 0)
            json["resources"] = Array(Resources);
        if (ResourceNames.Count > 0)
            json["resourceNames"] = Array(ResourceNames);
        if (NonResourceUrls.Count > 0)
            json["nonResourceURLs"] = Array(NonResourceUrls);
        return json;
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
