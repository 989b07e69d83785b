using System.Text.Json.Nodes;
using Orchestrator.Client.Discovery;

namespace Orchestrator.Client;

// Discovery: what the server serves right now, custom resources included. Aggregated discovery (two requests)
// first; a server that answers with the legacy documents instead is walked group by group.
public sealed partial class KubeClient
{
    private const string AggregatedDiscovery =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;q=0.9";

    /// <summary>Every resource of every group-version the server advertises, without subresources.</summary>
    public async Task<IReadOnlyList<DiscoveredResource>> DiscoverResourcesAsync(CancellationToken token = default)
    {
        var found = new List<DiscoveredResource>();
        foreach (var root in new[] { "/api", "/apis" })
        {
            var document = await SendAsync(HttpMethod.Get, root, null, null, token, AggregatedDiscovery).ConfigureAwait(false);
            if (Field(document, "kind") == "APIGroupDiscoveryList")
                found.AddRange(FromAggregated(document));
            else
                found.AddRange(await FromLegacyAsync(root, document, token).ConfigureAwait(false));
        }
        return found;
    }

    private static IEnumerable<DiscoveredResource> FromAggregated(JsonObject document)
    {
        foreach (var group in (document["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Field(group["metadata"], "name") ?? "";
            var preferred = true; // versions come in preference order
            foreach (var version in (group["versions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var v = Field(version, "version") ?? "";
                foreach (var resource in (version["resources"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    yield return new DiscoveredResource(
                        new ApiResource(name, v, Field(resource, "resource") ?? "", Field(resource, "scope") == "Namespaced"),
                        Field(resource["responseKind"], "kind") ?? "",
                        Strings(resource["verbs"]),
                        preferred);
                }
                preferred = false;
            }
        }
    }

    /// <summary>/api lists versions of the core group, /apis the groups with their preferred version.</summary>
    private async Task<List<DiscoveredResource>> FromLegacyAsync(string root, JsonObject document, CancellationToken token)
    {
        var groupVersions = new List<(string Group, string Version, bool Preferred)>();
        if (root == "/api")
        {
            var versions = Strings(document["versions"]);
            groupVersions.AddRange(versions.Select((v, i) => ("", v, i == 0)));
        }
        else
        {
            foreach (var group in (document["groups"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var preferred = Field(group["preferredVersion"], "version");
                foreach (var version in (group["versions"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var v = Field(version, "version") ?? "";
                    groupVersions.Add((Field(group, "name") ?? "", v, v == preferred));
                }
            }
        }
        var found = new List<DiscoveredResource>();
        foreach (var (group, version, preferred) in groupVersions)
        {
            var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            JsonObject list;
            try
            {
                list = await SendAsync(HttpMethod.Get, path, null, null, token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                continue; // removed between the two requests (a CRD deleted)
            }
            foreach (var resource in (list["resources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var name = Field(resource, "name") ?? "";
                if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
                    continue; // subresources are "plural/sub"
                found.Add(new DiscoveredResource(
                    new ApiResource(group, version, name, resource["namespaced"]?.GetValue<bool>() == true),
                    Field(resource, "kind") ?? "",
                    Strings(resource["verbs"]),
                    preferred));
            }
        }
        return found;
    }

    private static string? Field(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static string[] Strings(JsonNode? node) =>
        [.. (node as JsonArray ?? []).OfType<JsonValue>().Select(v => v.TryGetValue(out string? s) ? s : null).OfType<string>()];
}
