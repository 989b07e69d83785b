using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>Secrets: base64 data, stringData folded into data, type Opaque by default.</summary>
public sealed class SecretStrategy : ResourceStrategy
{
    public override void ApplyDefaults(JsonObject obj)
    {
        obj.Default("type", "Opaque");
        // stringData is write-only: it is merged into data and never stored.
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = obj.Child("data");
            foreach (var (key, value) in stringData)
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value.Str() ?? ""));
            obj.Remove("stringData");
        }
    }

    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var total = 0;
        foreach (var (key, value) in obj.Obj("data") ?? [])
        {
            var path = FieldPath.Root("data").Key(key);
            DataKeys.Validate(key, path, errors);
            var text = value.Str();
            var decoded = Base64Validation.TryDecode(text);
            if (decoded is null)
                errors.Invalid(path, text, "illegal base64 data");
            else
                total += decoded.Length;
        }
        if (total > 1024 * 1024)
            errors.TooLong(FieldPath.Root("data"), 1024 * 1024);
    }
}

/// <summary>ConfigMaps: valid keys, no key in both data and binaryData.</summary>
public sealed class ConfigMapStrategy : ResourceStrategy
{
    public override void Validate(JsonObject obj, FieldErrorList errors)
    {
        var data = obj.Obj("data");
        foreach (var (key, value) in data ?? [])
        {
            DataKeys.Validate(key, FieldPath.Root("data").Key(key), errors);
            if (value is not JsonValue v || !v.TryGetValue(out string? _))
                errors.Invalid(FieldPath.Root("data").Key(key), value?.ToJsonString(), "must be a string");
        }
        foreach (var (key, value) in obj.Obj("binaryData") ?? [])
        {
            var path = FieldPath.Root("binaryData").Key(key);
            DataKeys.Validate(key, path, errors);
            if (data?.ContainsKey(key) == true)
                errors.Invalid(path, key, "duplicate of key present in data");
            if (Base64Validation.TryDecode(value.Str()) is null)
                errors.Invalid(path, value.Str(), "illegal base64 data");
        }
    }
}

/// <summary>Keys of ConfigMap and Secret data become file names: letters, digits, '-', '_' and '.'.</summary>
public static class DataKeys
{
    public static void Validate(string key, FieldPath path, FieldErrorList errors)
    {
        if (key.Length == 0 || key.Length > 253 || key is "." or ".." || key.StartsWith("..", StringComparison.Ordinal)
            || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors.Invalid(path, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }
}
