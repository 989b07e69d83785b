using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources;

/// <summary>Query values read the way kube-apiserver's Go decoder reads them.</summary>
public static class QueryValues
{
    /// <summary>
    /// Go's strconv.ParseBool: 1, t, T, TRUE, true, True and 0, f, F, FALSE, false, False; absent or empty is
    /// <paramref name="absent"/>; anything else is a 400.
    /// </summary>
    public static bool Bool(string name, string? value, bool absent = false) => value switch
    {
        null or "" => absent,
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw ApiException.BadRequest($"invalid value for {name}: strconv.ParseBool: parsing \"{value}\": invalid syntax"),
    };
}
