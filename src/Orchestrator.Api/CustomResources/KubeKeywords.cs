extern alias JsonEverything;

using System.Text.Json;
using System.Text.RegularExpressions;
using JsonEverything::Json.Schema;

namespace Orchestrator.Api.CustomResources;

/// <summary>
/// <c>pattern</c> for JsonSchema.Net on the Regex the CRD check compiles (<see cref="StructuralSchema.Compile"/>):
/// non-backtracking, linear time like Go's RE2, so a CRD author's pattern cannot stall the server,
/// and a pattern the CRD check accepted is the pattern evaluated. The library's own handler compiles
/// a backtracking Regex of its own.
/// </summary>
internal sealed class LinearPatternKeyword : IKeywordHandler
{
    public string Name => "pattern";

    public object? ValidateKeywordValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && StructuralSchema.Compile(value.GetString()) is { } regex
            ? regex
            : throw new JsonException($"pattern must be a valid regular expression: {value}");

    public void BuildSubschemas(KeywordData keyword, BuildContext context)
    {
    }

    public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
    {
        bool valid = context.Instance.ValueKind != JsonValueKind.String || ((Regex)keyword.Value!).IsMatch(context.Instance.GetString()!);
        return new KeywordEvaluation { Keyword = Name, IsValid = valid, Error = valid ? null : "does not match the pattern" };
    }
}

/// <summary>
/// <c>minLength</c>/<c>maxLength</c> counting Unicode code points, as JSON Schema and Go's
/// utf8.RuneCountInString do; JsonSchema.Net's handlers count grapheme clusters ("e\u0301" is one).
/// </summary>
internal sealed class CodePointLengthKeyword(string name, bool isMaximum) : IKeywordHandler
{
    public string Name { get; } = name;

    public object? ValidateKeywordValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long limit) && limit >= 0
            ? limit
            : throw new JsonException($"{Name} must be a non-negative integer: {value}");

    public void BuildSubschemas(KeywordData keyword, BuildContext context)
    {
    }

    public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
    {
        if (context.Instance.ValueKind != JsonValueKind.String)
        {
            return new KeywordEvaluation { Keyword = Name, IsValid = true };
        }

        long limit = (long)keyword.Value!;
        long length = context.Instance.GetString()!.EnumerateRunes().LongCount();
        bool valid = isMaximum ? length <= limit : length >= limit;
        return new KeywordEvaluation { Keyword = Name, IsValid = valid, Error = valid ? null : $"length {length} is out of bounds" };
    }
}
