namespace Orchestrator.Api.Validation;

/// <summary>
/// Name and label syntax checks. Each returns the list of problems (empty when valid) using
/// Kubernetes' wording, since users compare these messages with what a real cluster says.
/// </summary>
/// <remarks>Hand-written character checks instead of regexes: they run on every label of every write.</remarks>
public static class NameValidation
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;

    private const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private const string QualifiedNamePartMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string QualifiedNameMessage =
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>Names of namespaces, services and most single-segment things: at most 63 of [a-z0-9-].</summary>
    public static IReadOnlyList<string> CheckDns1123Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123LabelMaxLength)
        {
            errors.Add(MaxLength(Dns1123LabelMaxLength));
        }

        if (!IsLabelShaped(value))
        {
            errors.Add(Dns1123LabelMessage);
        }

        return errors;
    }

    /// <summary>A DNS label that starts with a letter: CRD version names, plurals, kinds (lowercased), short names.</summary>
    public static IReadOnlyList<string> CheckDns1035Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123LabelMaxLength)
        {
            errors.Add(MaxLength(Dns1123LabelMaxLength));
        }

        if (!IsLabelShaped(value) || value[0] is not (>= 'a' and <= 'z'))
        {
            errors.Add(Dns1035LabelMessage);
        }

        return errors;
    }

    /// <summary>Names of most objects: dot-separated DNS labels, at most 253 characters.</summary>
    public static IReadOnlyList<string> CheckDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLength(Dns1123SubdomainMaxLength));
        }

        if (!IsSubdomainShaped(value))
        {
            errors.Add(Dns1123SubdomainMessage);
        }

        return errors;
    }

    /// <summary>Label and annotation keys: <c>[prefix/]name</c>, prefix a DNS subdomain, name at most 63.</summary>
    public static IReadOnlyList<string> CheckQualifiedName(string value)
    {
        var errors = new List<string>();
        string name = value;
        string[] parts = value.Split('/');
        if (parts.Length == 2)
        {
            string prefix = parts[0];
            name = parts[1];
            if (prefix.Length == 0)
            {
                errors.Add("prefix part must be non-empty");
            }
            else
            {
                errors.AddRange(CheckDns1123Subdomain(prefix).Select(e => "prefix part " + e));
            }
        }
        else if (parts.Length > 2)
        {
            errors.Add(QualifiedNameMessage);
            return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > QualifiedNameMaxLength)
        {
            errors.Add("name part " + MaxLength(QualifiedNameMaxLength));
        }

        if (name.Length > 0 && !IsQualifiedNamePart(name))
        {
            errors.Add(QualifiedNamePartMessage);
        }

        return errors;
    }

    /// <summary>Label values: empty, or at most 63 of [A-Za-z0-9-_.] starting and ending alphanumeric.</summary>
    public static IReadOnlyList<string> CheckLabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLength(LabelValueMaxLength));
        }

        if (value.Length > 0 && !IsQualifiedNamePart(value))
        {
            errors.Add(LabelValueMessage);
        }

        return errors;
    }

    public static bool IsDns1123Label(string value) => CheckDns1123Label(value).Count == 0;

    public static bool IsDns1123Subdomain(string value) => CheckDns1123Subdomain(value).Count == 0;

    public static bool IsQualifiedName(string value) => CheckQualifiedName(value).Count == 0;

    public static bool IsLabelValue(string value) => CheckLabelValue(value).Count == 0;

    internal static string MaxLength(int max) => $"must be no more than {max} characters";

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static bool IsAlphanumeric(char c) => IsLowerAlphanumeric(c) || c is >= 'A' and <= 'Z';

    private static bool IsLabelShaped(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !IsLowerAlphanumeric(value[0]) || !IsLowerAlphanumeric(value[^1]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsLowerAlphanumeric(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSubdomainShaped(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (string label in value.Split('.'))
        {
            if (!IsLabelShaped(label))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsQualifiedNamePart(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !IsAlphanumeric(value[0]) || !IsAlphanumeric(value[^1]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsAlphanumeric(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
