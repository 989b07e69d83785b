using System.Text.Json.Nodes;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Server.Discovery;

/// <summary>
/// Discovery, legacy (/api, /apis, /apis/{g}, /api/v1, /apis/{g}/{v}) and aggregated v2, from one
/// registry snapshot: what kubectl's RESTMapper, `api-resources` and `get all` read.
/// </summary>
public static class DiscoveryDocuments
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public static bool WantsAggregated(HttpRequest request) =>
        request.Headers.Accept.ToString().Split(',').Select(a => a.Trim()).FirstOrDefault(a => a.Length > 0) is { } first
        && first.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal)
        && first.Contains("v=v2", StringComparison.Ordinal);

    public static JsonObject Versions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(RegistrySnapshot registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. GroupNames(registry).Select(g => (JsonNode)Group(registry, g))]),
    };

    public static JsonObject? GroupOrNull(RegistrySnapshot registry, string group) =>
        GroupNames(registry).Contains(group) ? Group(registry, group) : null;

    public static JsonObject? ResourceList(RegistrySnapshot registry, GroupVersion groupVersion)
    {
        var resources = registry.InGroupVersion(groupVersion);
        if (resources.IsEmpty)
            return null;
        var list = new JsonArray();
        foreach (var resource in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = Strings(resource.Verbs),
            };
            if (!resource.ShortNames.IsEmpty)
                entry["shortNames"] = Strings(resource.ShortNames);
            if (!resource.Categories.IsEmpty)
                entry["categories"] = Strings(resource.Categories);
            list.Add(entry);
            foreach (var sub in resource.Subresources)
            {
                var subEntry = new JsonObject
                {
                    ["name"] = $"{resource.Plural}/{sub.Name}",
                    ["singularName"] = "",
                    ["namespaced"] = resource.Namespaced,
                    ["kind"] = sub.ResponseKind.Kind,
                    ["verbs"] = Strings(sub.Verbs),
                };
                if (sub.ResponseKind.Group != resource.Group || sub.ResponseKind.Version != resource.Version)
                {
                    subEntry["group"] = sub.ResponseKind.Group;
                    subEntry["version"] = sub.ResponseKind.Version;
                }
                list.Add(subEntry);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion.ToString(),
            ["resources"] = list,
        };
    }

    /// <summary>The aggregated document for /api (legacy: true) or /apis.</summary>
    public static JsonObject Aggregated(RegistrySnapshot registry, bool legacy)
    {
        var items = new JsonArray();
        foreach (var group in legacy ? [""] : GroupNames(registry))
        {
            var versions = new JsonArray();
            foreach (var gv in registry.GroupVersions.Where(v => v.Group == group))
            {
                var resources = new JsonArray();
                foreach (var resource in registry.InGroupVersion(gv))
                {
                    var entry = new JsonObject
                    {
                        ["resource"] = resource.Plural,
                        ["responseKind"] = new JsonObject { ["group"] = "", ["version"] = "", ["kind"] = resource.Kind },
                        ["scope"] = resource.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = resource.Singular,
                        ["verbs"] = Strings(resource.Verbs),
                    };
                    if (!resource.ShortNames.IsEmpty)
                        entry["shortNames"] = Strings(resource.ShortNames);
                    if (!resource.Categories.IsEmpty)
                        entry["categories"] = Strings(resource.Categories);
                    if (!resource.Subresources.IsEmpty)
                    {
                        entry["subresources"] = new JsonArray([.. resource.Subresources.Select(s => (JsonNode)new JsonObject
                        {
                            ["subresource"] = s.Name,
                            ["responseKind"] = new JsonObject { ["group"] = s.ResponseKind.Group, ["version"] = s.ResponseKind.Version, ["kind"] = s.ResponseKind.Kind },
                            ["verbs"] = Strings(s.Verbs),
                        })]);
                    }
                    resources.Add(entry);
                }
                versions.Add(new JsonObject { ["version"] = gv.Version, ["resources"] = resources, ["freshness"] = "Current" });
            }
            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null }, ["versions"] = versions });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject Group(RegistrySnapshot registry, string group)
    {
        var versions = registry.GroupVersions.Where(v => v.Group == group)
            .Select(v => (JsonNode)new JsonObject { ["groupVersion"] = v.ToString(), ["version"] = v.Version }).ToList();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions]),
            ["preferredVersion"] = versions[0]!.DeepClone(),
        };
    }

    private static List<string> GroupNames(RegistrySnapshot registry) =>
        [.. registry.GroupVersions.Select(v => v.Group).Where(g => g.Length > 0).Distinct()];

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);
}
