using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Objects;
using Orchestrator.Api.Validation;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// Validation of the CRD object, with the paths and wording of apiextensions-apiserver's
/// ValidateCustomResourceDefinition. Metadata (name syntax, labels) is the generic validator's job;
/// only the name's tie to plural and group is checked here.
/// </summary>
public static partial class CustomResourceDefinitions
{
    private static readonly string[] Scopes = ["Cluster", "Namespaced"];

    public static void Validate(JsonObject crd, FieldErrorList errors)
    {
        ArgumentNullException.ThrowIfNull(crd);
        ArgumentNullException.ThrowIfNull(errors);
        JsonObject spec = crd.Obj("spec") ?? [];
        FieldPath specPath = FieldPath.Root("spec");
        string group = spec.Str("group") ?? "";
        string plural = spec.Str("names", "plural") ?? "";
        if (crd.Name() != $"{plural}.{group}")
        {
            errors.Invalid(FieldPath.Root("metadata", "name"), crd.Name(), "must be spec.names.plural+\".\"+spec.group");
        }

        ValidateGroup(group, specPath.Child("group"), errors);
        ValidateScope(spec.Str("scope"), specPath.Child("scope"), errors);
        ValidateNames(spec.Obj("names") ?? [], specPath.Child("names"), errors);
        ValidateVersions(spec, specPath.Child("versions"), errors);
        if (spec.Str("conversion", "strategy") is { } strategy && strategy != "None")
        {
            // Only None: objects of every version share one schema shape here, no conversion webhook is called.
            errors.NotSupported(specPath.Child("conversion", "strategy"), strategy, ["None"]);
        }
    }

    /// <summary>Validate plus the rules of a change: group and scope are fixed; stored versions must stay defined.</summary>
    public static void ValidateUpdate(JsonObject crd, JsonObject old, FieldErrorList errors)
    {
        ArgumentNullException.ThrowIfNull(old);
        Validate(crd, errors);
        FieldPath specPath = FieldPath.Root("spec");
        foreach (string field in new[] { "group", "scope" })
        {
            if (crd.Str("spec", field) is var now && now != old.Str("spec", field))
            {
                errors.Invalid(specPath.Child(field), now ?? "", "field is immutable");
            }
        }

        // Objects still stored in a version removed from spec.versions could never be read again.
        var defined = crd.Items("spec", "versions").Select(v => v.Str("name")).ToHashSet(StringComparer.Ordinal);
        JsonArray stored = crd.Arr("status", "storedVersions") ?? [];
        for (int i = 0; i < stored.Count; i++)
        {
            if (stored[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !defined.Contains(v.GetValue<string>()))
            {
                errors.Invalid(FieldPath.Root("status", "storedVersions").Index(i), v.GetValue<string>(), "must appear in spec.versions");
            }
        }
    }

    private static void ValidateGroup(string group, FieldPath path, FieldErrorList errors)
    {
        if (group.Length == 0)
        {
            errors.Required(path);
            return;
        }

        if (NameValidation.CheckDns1123Subdomain(group) is { Count: > 0 } problems)
        {
            errors.Invalid(path, group, string.Join(",", problems));
        }

        if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Invalid(path, group, "should be a domain with at least one dot");
        }
    }

    private static void ValidateScope(string? scope, FieldPath path, FieldErrorList errors)
    {
        if (string.IsNullOrEmpty(scope))
        {
            errors.Required(path);
        }
        else if (!Scopes.Contains(scope))
        {
            errors.NotSupported(path, scope, Scopes);
        }
    }

    private static void ValidateNames(JsonObject names, FieldPath path, FieldErrorList errors)
    {
        Label(names.Str("plural"), path.Child("plural"), required: true, mixedCase: false, errors);
        Label(names.Str("singular"), path.Child("singular"), required: false, mixedCase: false, errors);
        string? kind = names.Str("kind");
        Label(kind, path.Child("kind"), required: true, mixedCase: true, errors);
        string? listKind = names.Str("listKind");
        Label(listKind, path.Child("listKind"), required: false, mixedCase: true, errors);
        if (!string.IsNullOrEmpty(kind) && kind == listKind)
        {
            errors.Invalid(path.Child("listKind"), listKind, "kind and listKind may not be the same");
        }

        foreach (string list in new[] { "shortNames", "categories" })
        {
            JsonArray items = names.Arr(list) ?? [];
            for (int i = 0; i < items.Count; i++)
            {
                Label(items[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "", path.Child(list).Index(i),
                    required: false, mixedCase: false, errors, invalidWhenEmpty: true);
            }
        }
    }

    /// <summary>A DNS-1035 label; kinds may use upper case ("may have mixed case, but should otherwise match").</summary>
    private static void Label(string? value, FieldPath path, bool required, bool mixedCase, FieldErrorList errors, bool invalidWhenEmpty = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Required(path);
            }
            else if (invalidWhenEmpty)
            {
                errors.Invalid(path, value ?? "", NameValidation.CheckDns1035Label("")[0]);
            }

            return;
        }

        IReadOnlyList<string> problems = NameValidation.CheckDns1035Label(mixedCase ? value.ToLowerInvariant() : value);
        if (problems.Count > 0)
        {
            string detail = string.Join(",", problems);
            errors.Invalid(path, value, mixedCase ? "may have mixed case, but should otherwise match: " + detail : detail);
        }
    }

    private static void ValidateVersions(JsonObject spec, FieldPath path, FieldErrorList errors)
    {
        JsonArray versions = spec.Arr("versions") ?? [];
        if (versions.Count == 0)
        {
            errors.Required(path, "must have exactly one version marked as storage version");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        int storage = 0;
        for (int i = 0; i < versions.Count; i++)
        {
            FieldPath at = path.Index(i);
            JsonObject version = versions[i] as JsonObject ?? [];
            string name = version.Str("name") ?? "";
            if (name.Length == 0)
            {
                errors.Required(at.Child("name"));
            }
            else if (NameValidation.CheckDns1035Label(name) is { Count: > 0 } problems)
            {
                errors.Invalid(at.Child("name"), name, string.Join(",", problems));
            }
            else if (!names.Add(name))
            {
                errors.Duplicate(at.Child("name"), name);
            }

            foreach (string flag in new[] { "served", "storage" })
            {
                if (version[flag] is { } value && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Invalid(at.Child(flag), JsonNumbers.TypeName(value), "must be a boolean");
                }
            }

            if (version.Bool("storage") == true)
            {
                storage++;
            }

            CrdVersionRules.Validate(version, at, errors);
        }

        if (storage != 1)
        {
            errors.Invalid(path, $"{versions.Count} versions", "must have exactly one version marked as storage version");
        }
    }
}
