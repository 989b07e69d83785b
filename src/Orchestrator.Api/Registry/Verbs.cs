using System.Collections.Immutable;

namespace Orchestrator.Api.Registry;

/// <summary>The verbs discovery advertises; kubectl checks them (e.g. "watch" before get -w).</summary>
public static class Verbs
{
    public const string Create = "create";
    public const string Delete = "delete";
    public const string DeleteCollection = "deletecollection";
    public const string Get = "get";
    public const string List = "list";
    public const string Patch = "patch";
    public const string Update = "update";
    public const string Watch = "watch";

    /// <summary>What a plain stored resource supports.</summary>
    public static ImmutableArray<string> Standard { get; } =
        [Create, Delete, DeleteCollection, Get, List, Patch, Update, Watch];

    /// <summary>Status and scale subresources: read and write, never create or delete.</summary>
    public static ImmutableArray<string> GetPatchUpdate { get; } = [Get, Patch, Update];
}
