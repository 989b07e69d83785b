using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Apply;

/// <summary>One element of metadata.managedFields: who owns <see cref="Fields"/>, and through which operation.</summary>
public sealed record ManagedFieldsEntry(
    string Manager,
    string Operation,
    string ApiVersion,
    string? Time,
    FieldSet Fields,
    string? Subresource = null)
{
    public const string Apply = "Apply";
    public const string Update = "Update";
    public const string FieldsV1 = "FieldsV1";

    /// <summary>
    /// Entries with the same identity are one manager. Like kube, an applier is one manager across
    /// API versions, while an updater is tracked per version it wrote with.
    /// </summary>
    public (string Manager, string Operation, string Subresource, string ApiVersion) Identity =>
        (Manager, Operation, Subresource ?? "", Operation == Apply ? "" : ApiVersion);

    /// <summary>How kube names this manager in conflict messages: "\"kubectl\"", "\"x\" using v1".</summary>
    public string Describe()
    {
        string name = Quote(Manager);
        if (!string.IsNullOrEmpty(Subresource))
        {
            name += $" with subresource {Quote(Subresource)}";
        }

        return Operation == Update ? $"{name} using {ApiVersion}" : name;
    }

    /// <summary>kube's metav1.Time: UTC, whole seconds, RFC 3339.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads one entry; throws <see cref="FormatException"/> for what kube would reject.</summary>
    public static ManagedFieldsEntry FromJson(JsonNode? node)
    {
        if (node is not JsonObject entry)
        {
            throw new FormatException("managedFields entry must be an object");
        }

        string manager = OptionalString(entry, "manager") ?? "";
        string operation = OptionalString(entry, "operation") ?? "";
        if (operation is not (Apply or Update))
        {
            throw new FormatException($"managedFields entry for \"{manager}\" has invalid operation \"{operation}\"");
        }

        string? fieldsType = OptionalString(entry, "fieldsType");
        if (fieldsType is not (null or FieldsV1))
        {
            throw new FormatException($"managedFields entry for \"{manager}\" has unsupported fieldsType \"{fieldsType}\"");
        }

        FieldSet fields = entry["fieldsV1"] switch
        {
            null => FieldSet.Empty,
            JsonObject v1 => FieldSet.Parse(v1),
            _ => throw new FormatException($"managedFields entry for \"{manager}\" has non-object fieldsV1"),
        };

        return new ManagedFieldsEntry(
            manager,
            operation,
            OptionalString(entry, "apiVersion") ?? "",
            OptionalString(entry, "time"),
            fields,
            OptionalString(entry, "subresource") is { Length: > 0 } sub ? sub : null);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is not null)
        {
            json["time"] = Time;
        }

        json["fieldsType"] = FieldsV1;
        json["fieldsV1"] = Fields.ToJson();
        if (Subresource is not null)
        {
            json["subresource"] = Subresource;
        }

        return json;
    }

    /// <summary>Seconds since the epoch for ordering; entries without a readable time sort first.</summary>
    internal long UnixSeconds =>
        DateTimeOffset.TryParse(Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t)
            ? t.ToUnixTimeSeconds()
            : 0;

    private static string? OptionalString(JsonObject entry, string name) => entry[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw new FormatException($"managedFields entry field {name} must be a string"),
    };

    private static string Quote(string s) => JsonValue.Create(s).ToJsonString();
}
