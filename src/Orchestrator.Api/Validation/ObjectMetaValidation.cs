using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Validation;

/// <summary>
/// Checks of the generic metadata every object carries: name or generateName, labels and
/// annotations. Problems are added to a <see cref="FieldErrorList"/> so one 422 reports all.
/// </summary>
public static class ObjectMetaValidation
{
    /// <summary>The total size limit of all annotation keys and values of one object (256 KiB).</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    /// <summary>
    /// A name is required unless generateName is given. <paramref name="nameCheck"/> is the
    /// kind's rule, e.g. <see cref="NameValidation.CheckDns1123Subdomain"/> for most kinds or
    /// <see cref="NameValidation.CheckDns1123Label"/> for namespaces and services.
    /// </summary>
    public static void ValidateName(
        string? name, string? generateName, Func<string, IReadOnlyList<string>> nameCheck, FieldPath metadata, FieldErrorList errors)
    {
        if (!string.IsNullOrEmpty(generateName))
        {
            foreach (string problem in CheckGenerateName(generateName, nameCheck))
            {
                errors.Invalid(metadata.Child("generateName"), generateName, problem);
            }
        }

        if (string.IsNullOrEmpty(name))
        {
            if (string.IsNullOrEmpty(generateName))
            {
                errors.Required(metadata.Child("name"), "name or generateName is required");
            }

            return;
        }

        foreach (string problem in nameCheck(name))
        {
            errors.Invalid(metadata.Child("name"), name, problem);
        }
    }

    /// <summary>
    /// A generateName is a prefix: "web-" is fine although a name cannot end in "-", because
    /// random characters will follow it. So a trailing dash is masked before the name rule runs;
    /// a lone "-" is not masked, as it would leave no real prefix.
    /// </summary>
    public static IReadOnlyList<string> CheckGenerateName(string prefix, Func<string, IReadOnlyList<string>> nameCheck)
    {
        string masked = prefix.Length > 1 && prefix.EndsWith('-') ? prefix[..^1] + "a" : prefix;
        return nameCheck(masked);
    }

    public static void ValidateLabels(JsonNode? labels, FieldPath path, FieldErrorList errors)
    {
        foreach ((string key, string? value) in StringMap(labels, path, errors))
        {
            foreach (string problem in NameValidation.CheckQualifiedName(key))
            {
                errors.Invalid(path, key, problem);
            }

            foreach (string problem in NameValidation.CheckLabelValue(value ?? ""))
            {
                errors.Invalid(path.Key(key), value, problem);
            }
        }
    }

    public static void ValidateAnnotations(JsonNode? annotations, FieldPath path, FieldErrorList errors)
    {
        long totalSize = 0;
        foreach ((string key, string? value) in StringMap(annotations, path, errors))
        {
            // Annotation keys are checked case-insensitively, as Kubernetes does.
            foreach (string problem in NameValidation.CheckQualifiedName(key.ToLowerInvariant()))
            {
                errors.Invalid(path, key, problem);
            }

            totalSize += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (totalSize > TotalAnnotationSizeLimit)
        {
            errors.TooLong(path, TotalAnnotationSizeLimit);
        }
    }

    private static IEnumerable<(string Key, string? Value)> StringMap(JsonNode? node, FieldPath path, FieldErrorList errors)
    {
        if (node is null)
        {
            yield break;
        }

        if (node is not JsonObject map)
        {
            errors.Invalid(path, node, "must be a map of string keys to string values");
            yield break;
        }

        foreach ((string key, JsonNode? value) in map)
        {
            if (value is JsonValue v && v.TryGetValue(out string? text))
            {
                yield return (key, text);
            }
            else if (value is null)
            {
                yield return (key, null);
            }
            else
            {
                errors.Invalid(path.Key(key), value, "must be a string");
            }
        }
    }
}
