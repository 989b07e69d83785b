using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Selectors;

// Conversion from the metav1.LabelSelector JSON object found in specs (deployment.spec.selector,
// PDBs, network policies). Its rules differ from the query syntax: operators are words, and
// null means "nothing" while {} means "everything".
public sealed partial class LabelSelector
{
    /// <summary>Builds a selector from {matchLabels, matchExpressions}; throws BadRequest ApiException when malformed.</summary>
    public static LabelSelector FromJson(JsonNode? node)
    {
        if (node is null)
        {
            return Nothing;
        }

        if (node is not JsonObject json)
        {
            throw ApiException.BadRequest("label selector must be an object");
        }

        var requirements = new List<LabelRequirement>();
        if (json["matchLabels"] is JsonNode matchLabels)
        {
            if (matchLabels is not JsonObject labels)
            {
                throw ApiException.BadRequest("matchLabels must be an object");
            }

            foreach ((string key, JsonNode? value) in labels)
            {
                string text = StringOf(value, $"matchLabels[{key}]");
                requirements.Add(LabelSelectorParser.NewRequirement(key, LabelOperator.Equals, [text]));
            }
        }

        if (json["matchExpressions"] is JsonNode matchExpressions)
        {
            if (matchExpressions is not JsonArray expressions)
            {
                throw ApiException.BadRequest("matchExpressions must be a list");
            }

            foreach (JsonNode? expression in expressions)
            {
                requirements.Add(ExpressionToRequirement(expression));
            }
        }

        return Create(requirements);
    }

    /// <summary>
    /// A plain label map used as a selector (a ReplicationController's or a Service's spec.selector), as kube's
    /// labels.SelectorFromSet: every pair must match; null or {} selects everything. Throws BadRequest ApiException when malformed.
    /// </summary>
    public static LabelSelector FromMap(JsonNode? node)
    {
        if (node is null)
        {
            return Everything;
        }

        if (node is not JsonObject map)
        {
            throw ApiException.BadRequest("label selector map must be an object");
        }

        return Create([.. map.Select(pair => LabelSelectorParser.NewRequirement(pair.Key, LabelOperator.Equals, [StringOf(pair.Value, $"selector[{pair.Key}]")]))]);
    }

    private static LabelRequirement ExpressionToRequirement(JsonNode? node)
    {
        if (node is not JsonObject expression)
        {
            throw ApiException.BadRequest("matchExpressions entries must be objects");
        }

        string key = StringOf(expression["key"], "matchExpressions.key");
        string op = StringOf(expression["operator"], "matchExpressions.operator");
        var values = new List<string>();
        if (expression["values"] is JsonArray array)
        {
            values.AddRange(array.Select(v => StringOf(v, "matchExpressions.values")));
        }

        LabelOperator parsed = op switch
        {
            "In" => LabelOperator.In,
            "NotIn" => LabelOperator.NotIn,
            "Exists" => LabelOperator.Exists,
            "DoesNotExist" => LabelOperator.DoesNotExist,
            _ => throw ApiException.BadRequest($"\"{op}\" is not a valid label selector operator"),
        };
        return LabelSelectorParser.NewRequirement(key, parsed, values);
    }

    private static string StringOf(JsonNode? node, string what) =>
        node is JsonValue value && value.TryGetValue(out string? text)
            ? text
            : throw ApiException.BadRequest($"{what} must be a string");
}
