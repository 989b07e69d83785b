using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Errors;

/// <summary>
/// One validation failure at a field. <see cref="Body"/> and <see cref="ToString"/> follow the
/// Kubernetes wording ("spec.replicas: Invalid value: -1: must be greater than or equal to 0").
/// </summary>
public sealed record FieldError(string Field, FieldErrorType Type, object? BadValue, string Detail, bool HasValue = true)
{
    /// <summary>The message without the field: what goes into a Status cause.</summary>
    public string Body
    {
        get
        {
            // Required, Forbidden, TooLong and Internal never echo the value: it is absent,
            // unwanted, or too big to print.
            bool showValue = HasValue && Type is not (FieldErrorType.Required or FieldErrorType.Forbidden
                or FieldErrorType.TooLong or FieldErrorType.Internal);
            string text = showValue ? $"{Type.Describe()}: {FormatValue(BadValue)}" : Type.Describe();
            return string.IsNullOrEmpty(Detail) ? text : $"{text}: {Detail}";
        }
    }

    public override string ToString() => string.IsNullOrEmpty(Field) ? Body : $"{Field}: {Body}";

    public StatusCause ToCause() => new(Type.CauseReason(), Body, Field);

    /// <summary>One message for many errors: the error itself, or "[e1, e2]" as Kubernetes aggregates print.</summary>
    public static string Aggregate(IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        List<string> messages = errors.Select(e => e.ToString()).Distinct().ToList();
        return messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
    }

    /// <summary>Formats a value like Go's %#v for the common cases: strings quoted, numbers bare.</summary>
    internal static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        JsonValue v when v.TryGetValue(out string? s) => Quote(s),
        JsonNode node => node.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal static string Quote(string s)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
