using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>
/// The JSONPath subset printer columns use (kubectl's jsonpath, simple paths only): fields
/// <c>.spec.size</c>, indexes <c>.spec.items[0].name</c>, wildcards <c>[*]</c>, quoted keys
/// <c>['a.b']</c> and equality filters <c>.status.conditions[?(@.type=="Ready")].status</c>.
/// An optional surrounding <c>{...}</c> is accepted.
/// </summary>
public sealed class JsonPathExpression
{
    private readonly IReadOnlyList<Step> _steps;

    private JsonPathExpression(string text, IReadOnlyList<Step> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; false for anything outside the subset.</summary>
    public static bool TryParse(string text, out JsonPathExpression? expression)
    {
        ArgumentNullException.ThrowIfNull(text);
        expression = null;
        string body = text.Trim();
        if (body.StartsWith('{') && body.EndsWith('}'))
        {
            body = body[1..^1].Trim();
        }

        var steps = new List<Step>();
        if (!ParseSteps(body, steps))
        {
            return false;
        }

        expression = new JsonPathExpression(text, steps);
        return true;
    }

    /// <summary>Every value the path reaches, in document order (empty when nothing matches).</summary>
    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root) => Evaluate(root, _steps);

    private static List<JsonNode?> Evaluate(JsonNode? root, IReadOnlyList<Step> steps)
    {
        var current = new List<JsonNode?> { root };
        foreach (Step step in steps)
        {
            var next = new List<JsonNode?>();
            foreach (JsonNode? node in current)
            {
                step.Apply(node, next);
            }

            current = next;
        }

        return current;
    }

    private static bool ParseSteps(string body, List<Step> steps)
    {
        int i = 0;
        while (i < body.Length)
        {
            if (body[i] == '.')
            {
                int start = ++i;
                while (i < body.Length && body[i] is not ('.' or '['))
                {
                    i++;
                }

                // "." alone is the root itself, as in kubectl's "{.}".
                if (i > start)
                {
                    steps.Add(new FieldStep(body[start..i]));
                }
            }
            else if (body[i] == '[')
            {
                int end = ClosingBracket(body, i);
                if (end < 0 || BracketStep(body[(i + 1)..end].Trim()) is not { } step)
                {
                    return false;
                }

                steps.Add(step);
                i = end + 1;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static int ClosingBracket(string body, int open)
    {
        char? quote = null;
        for (int i = open + 1; i < body.Length; i++)
        {
            char c = body[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        return -1;
    }

    private static Step? BracketStep(string inner)
    {
        if (inner == "*")
        {
            return new WildcardStep();
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
        {
            return new IndexStep(index);
        }

        if (inner.Length >= 2 && inner[0] is '"' or '\'' && inner[^1] == inner[0])
        {
            return new FieldStep(inner[1..^1]);
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            return FilterStep.Parse(inner[2..^1].Trim());
        }

        return null;
    }

    /// <summary>A cell's text as kubectl's jsonpath prints a value: strings bare, everything else as JSON.</summary>
    public static string Print(JsonNode? value) => value switch
    {
        null => "<nil>",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    public override string ToString() => Text;

    private abstract class Step
    {
        public abstract void Apply(JsonNode? node, List<JsonNode?> results);
    }

    private sealed class FieldStep(string name) : Step
    {
        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            if (node is JsonObject obj && obj.TryGetPropertyValue(name, out JsonNode? value))
            {
                results.Add(value);
            }
        }
    }

    private sealed class IndexStep(int index) : Step
    {
        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            if (node is JsonArray array)
            {
                // Negative indexes count from the end, as in kubectl.
                int at = index < 0 ? array.Count + index : index;
                if (at >= 0 && at < array.Count)
                {
                    results.Add(array[at]);
                }
            }
        }
    }

    private sealed class WildcardStep : Step
    {
        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            switch (node)
            {
                case JsonArray array:
                    results.AddRange(array);
                    break;
                case JsonObject obj:
                    results.AddRange(obj.Select(p => p.Value));
                    break;
            }
        }
    }

    /// <summary><c>?(@.path==literal)</c> or <c>!=</c>; a bare <c>?(@.path)</c> keeps elements where the path exists.</summary>
    private sealed class FilterStep(IReadOnlyList<Step> left, string? op, JsonNode? literal) : Step
    {
        public static FilterStep? Parse(string condition)
        {
            string? op = condition.Contains("==", StringComparison.Ordinal) ? "==" : condition.Contains("!=", StringComparison.Ordinal) ? "!=" : null;
            string[] sides = op is null ? [condition] : condition.Split(op, 2);
            string leftText = sides[0].Trim();
            if (!leftText.StartsWith('@'))
            {
                return null;
            }

            var steps = new List<Step>();
            if (!ParseSteps(leftText[1..], steps))
            {
                return null;
            }

            JsonNode? literal = null;
            if (op is not null && !TryLiteral(sides[1].Trim(), out literal))
            {
                return null;
            }

            return new FilterStep(steps, op, literal);
        }

        public override void Apply(JsonNode? node, List<JsonNode?> results)
        {
            IEnumerable<JsonNode?> candidates = node switch
            {
                JsonArray array => array,
                JsonObject obj => obj.Select(p => p.Value),
                _ => [],
            };
            foreach (JsonNode? candidate in candidates)
            {
                List<JsonNode?> found = Evaluate(candidate, left);
                bool keep = op switch
                {
                    null => found.Count > 0,
                    "==" => found.Any(f => JsonNode.DeepEquals(f, literal)),
                    _ => found.Count > 0 && found.All(f => !JsonNode.DeepEquals(f, literal)),
                };
                if (keep)
                {
                    results.Add(candidate);
                }
            }
        }

        private static bool TryLiteral(string text, out JsonNode? literal)
        {
            literal = null;
            if (text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0])
            {
                literal = JsonValue.Create(text[1..^1]);
                return true;
            }

            try
            {
                literal = JsonNode.Parse(Encoding.UTF8.GetBytes(text));
                return literal is JsonValue;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
