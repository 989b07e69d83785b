using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Server.Resources;

/// <summary>The query parameters of list and watch, parsed and checked (400 on bad input).</summary>
public sealed record ListOptions(
    LabelSelector Labels,
    FieldSelector Fields,
    int Limit,
    string? ContinueAfterKey,
    string? ResourceVersion,
    bool AllowBookmarks,
    TimeSpan? Timeout)
{
    /// <summary>Every object, read linearizably.</summary>
    public static ListOptions Everything { get; } = new(LabelSelector.Everything, FieldSelector.Everything, 0, null, null, false, null);

    public bool IsFiltered => !Labels.IsEverything || !Fields.IsEverything;

    /// <summary>resourceVersion=0: any state this replica has is fine (no read barrier).</summary>
    public bool LocalRead => ResourceVersion == "0";

    /// <summary>Parses list and watch parameters; <paramref name="query"/> gives a parameter's value ("" when absent).</summary>
    public static ListOptions Parse(Func<string, string> query, ResourceDefinition resource)
    {
        // Both parsers throw 400 Status errors for bad syntax and unsupported fields.
        var labels = LabelSelector.Parse(query("labelSelector"));
        var fields = FieldSelector.Parse(query("fieldSelector"), resource.FieldSelectors.Supported);

        var limit = 0;
        var limitText = query("limit");
        if (limitText.Length > 0 && !int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
            throw ApiException.BadRequest($"invalid limit: {limitText}");

        TimeSpan? timeout = null;
        var timeoutText = query("timeoutSeconds");
        if (timeoutText.Length > 0)
        {
            if (!long.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                throw ApiException.BadRequest($"invalid timeoutSeconds: {timeoutText}");
            timeout = TimeSpan.FromSeconds(Math.Min(seconds, 24 * 3600));
        }

        var rv = query("resourceVersion");
        if (rv.Length > 0 && !long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw ApiException.BadRequest($"invalid resourceVersion: {rv}");

        return new ListOptions(
            labels,
            fields,
            limit,
            DecodeContinue(query("continue")),
            rv.Length == 0 ? null : rv,
            QueryValues.Bool("allowWatchBookmarks", query("allowWatchBookmarks")),
            timeout);
    }

    public static string EncodeContinue(string lastKey, long revision)
    {
        var json = new JsonObject { ["v"] = "orchestrator/1", ["rv"] = revision, ["start"] = lastKey }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string? DecodeContinue(string token)
    {
        if (token.Length == 0)
            return null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var json = JsonNode.Parse(Convert.FromBase64String(padded));
            return json?["start"]?.GetValue<string>() ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
