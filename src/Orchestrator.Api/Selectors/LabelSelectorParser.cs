using Orchestrator.Api.Errors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Selectors;

/// <summary>
/// Recursive-descent parser for the label selector query syntax:
/// <code>
/// selector    := requirement ("," requirement)*
/// requirement := "!" key | key | key ("=" | "==" | "!=") value | key ("&gt;" | "&lt;") integer
///              | key ("in" | "notin") "(" [value ("," value)*] ")"
/// </code>
/// "in" and "notin" are keywords only where an operator is expected, so they remain valid keys
/// and values.
/// </summary>
internal sealed class LabelSelectorParser
{
    private const string Specials = "=!(),<>";

    private readonly string _text;
    private int _position;

    public LabelSelectorParser(string text)
    {
        _text = text;
    }

    public List<LabelRequirement> Parse()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            requirements.Add(ParseRequirement());
            SkipWhitespace();
            if (AtEnd)
            {
                return requirements;
            }

            if (!TryConsume(","))
            {
                throw Fail($"found '{Peek()}', expected: ',' or 'end of string'");
            }
        }
    }

    /// <summary>Validates one requirement's key and values; shared with the JSON form.</summary>
    public static LabelRequirement NewRequirement(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        string? error = CheckRequirement(key, op, values);
        return error is null
            ? new LabelRequirement(key, op, values)
            : throw ApiException.BadRequest("unable to parse requirement: " + error);
    }

    private bool AtEnd => _position >= _text.Length;

    private LabelRequirement ParseRequirement()
    {
        SkipWhitespace();
        if (TryConsume("!"))
        {
            string negated = ExpectIdentifier("identifier after '!'");
            return Build(negated, LabelOperator.DoesNotExist, []);
        }

        string key = ExpectIdentifier("!, identifier");
        SkipWhitespace();
        if (AtEnd || _text[_position] == ',')
        {
            return Build(key, LabelOperator.Exists, []);
        }

        if (TryConsume("==") || TryConsume("="))
        {
            return Build(key, LabelOperator.Equals, [ReadOptionalIdentifier()]);
        }

        if (TryConsume("!="))
        {
            return Build(key, LabelOperator.NotEquals, [ReadOptionalIdentifier()]);
        }

        if (TryConsume(">"))
        {
            return Build(key, LabelOperator.GreaterThan, [ExpectIdentifier("integer value")]);
        }

        if (TryConsume("<"))
        {
            return Build(key, LabelOperator.LessThan, [ExpectIdentifier("integer value")]);
        }

        string word = ReadIdentifier();
        LabelOperator op = word switch
        {
            "in" => LabelOperator.In,
            "notin" => LabelOperator.NotIn,
            _ => throw Fail($"found '{(word.Length > 0 ? word : Peek())}', expected: in, notin, =, ==, !=, gt, lt"),
        };
        return Build(key, op, ParseValueSet());
    }

    private List<string> ParseValueSet()
    {
        SkipWhitespace();
        if (!TryConsume("("))
        {
            throw Fail($"found '{Peek()}', expected: '('");
        }

        var values = new List<string>();
        SkipWhitespace();
        if (TryConsume(")"))
        {
            // "x in ()" is accepted by Kubernetes and means the single empty value.
            values.Add("");
            return values;
        }

        while (true)
        {
            values.Add(ReadOptionalIdentifier());
            SkipWhitespace();
            if (TryConsume(")"))
            {
                return values;
            }

            if (!TryConsume(","))
            {
                throw Fail($"found '{Peek()}', expected: ',' or ')'");
            }
        }
    }

    private LabelRequirement Build(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        string? error = CheckRequirement(key, op, values);
        return error is null ? new LabelRequirement(key, op, values) : throw Fail("unable to parse requirement: " + error);
    }

    private static string? CheckRequirement(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        IReadOnlyList<string> keyErrors = NameValidation.CheckQualifiedName(key);
        if (keyErrors.Count > 0)
        {
            return $"key: Invalid value: {FieldError.Quote(key)}: {string.Join("; ", keyErrors)}";
        }

        switch (op)
        {
            case LabelOperator.In or LabelOperator.NotIn when values.Count == 0:
                return "for 'in', 'notin' operators, values set can't be empty";
            case LabelOperator.Equals or LabelOperator.NotEquals when values.Count != 1:
                return "exact-match compatibility requires one single value";
            case LabelOperator.Exists or LabelOperator.DoesNotExist when values.Count != 0:
                return "values set must be empty for exists and does not exist";
            case LabelOperator.GreaterThan or LabelOperator.LessThan:
                if (values.Count != 1 || !LabelRequirement.TryParseInteger(values[0], out _))
                {
                    return $"for 'Gt', 'Lt' operators, the value must be an integer: {string.Join(",", values)}";
                }

                return null;
        }

        foreach (string value in values)
        {
            IReadOnlyList<string> valueErrors = NameValidation.CheckLabelValue(value);
            if (valueErrors.Count > 0)
            {
                return $"values: Invalid value: {FieldError.Quote(value)}: {string.Join("; ", valueErrors)}";
            }
        }

        return null;
    }

    private string ExpectIdentifier(string expected)
    {
        SkipWhitespace();
        string identifier = ReadIdentifier();
        return identifier.Length > 0 ? identifier : throw Fail($"found '{Peek()}', expected: {expected}");
    }

    /// <summary>A value after "=" may be empty ("a=" selects a == ""), but not a stray symbol.</summary>
    private string ReadOptionalIdentifier()
    {
        SkipWhitespace();
        string identifier = ReadIdentifier();
        if (identifier.Length == 0 && !AtEnd && _text[_position] is not (',' or ')'))
        {
            throw Fail($"found '{Peek()}', expected: identifier");
        }

        return identifier;
    }

    private string ReadIdentifier()
    {
        int start = _position;
        while (!AtEnd && !char.IsWhiteSpace(_text[_position]) && !Specials.Contains(_text[_position]))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private bool TryConsume(string token)
    {
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0)
        {
            _position += token.Length;
            return true;
        }

        return false;
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private string Peek()
    {
        SkipWhitespace();
        return AtEnd ? "end of string" : _text[_position].ToString();
    }

    private ApiException Fail(string detail) =>
        ApiException.BadRequest($"couldn't parse the selector string {FieldError.Quote(_text)}: {detail}");
}
