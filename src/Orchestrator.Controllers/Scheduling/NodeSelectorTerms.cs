using System.Text.Json.Nodes;

namespace Orchestrator.Controllers.Scheduling;

/// <summary>One requirement of a nodeSelectorTerm (matchExpressions on labels, matchFields on metadata.name).</summary>
public sealed record NodeRequirement(string Key, string Operator, IReadOnlyList<string> Values, bool OnField)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        string? actual;
        if (OnField)
            actual = Key == "metadata.name" ? nodeName : null;
        else
            actual = labels.TryGetValue(Key, out var value) ? value : null;
        return Operator switch
        {
            "In" => actual is not null && Values.Contains(actual),
            "NotIn" => actual is null || !Values.Contains(actual),
            "Exists" => actual is not null,
            "DoesNotExist" => actual is null,
            "Gt" => actual is not null && Values.Count == 1 && long.TryParse(actual, out var a) && long.TryParse(Values[0], out var b) && a > b,
            "Lt" => actual is not null && Values.Count == 1 && long.TryParse(actual, out var c) && long.TryParse(Values[0], out var d) && c < d,
            _ => false,
        };
    }
}

/// <summary>
/// spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution: the terms are ORed, the
/// requirements of a term ANDed; a term without requirements matches nothing (as in Kubernetes).
/// </summary>
public sealed class NodeSelectorTerms(IReadOnlyList<IReadOnlyList<NodeRequirement>> terms)
{
    public static NodeSelectorTerms? Of(JsonObject pod)
    {
        var required = pod.Obj("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution");
        if (required is null)
            return null;
        var terms = required.Items("nodeSelectorTerms")
            .Select(term => (IReadOnlyList<NodeRequirement>)[
                .. term.Items("matchExpressions").Select(e => Requirement(e, onField: false)),
                .. term.Items("matchFields").Select(e => Requirement(e, onField: true))])
            .ToList();
        return new NodeSelectorTerms(terms);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        foreach (var term in terms)
        {
            if (term.Count > 0 && term.All(r => r.Matches(labels, nodeName)))
                return true;
        }
        return false;
    }

    private static NodeRequirement Requirement(JsonObject expression, bool onField) =>
        new(expression.Str("key") ?? "", expression.Str("operator") ?? "", [.. expression.Strings("values")], onField);
}
