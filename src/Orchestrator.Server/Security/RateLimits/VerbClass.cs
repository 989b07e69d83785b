using Orchestrator.Server.Http;

namespace Orchestrator.Server.Security.RateLimits;

/// <summary>The budgets a user's requests draw from: one per class, per minute.</summary>
public enum VerbClass
{
    Get,
    List,
    /// <summary>create, update and patch.</summary>
    Write,
    /// <summary>delete and deletecollection.</summary>
    Delete,
}

public static class VerbClasses
{
    /// <summary>
    /// The class a resource request counts against, or null when it is not counted: watches (long-running; their
    /// cost is the initial list, which a client sends as a list) and verbs outside the four classes.
    /// </summary>
    public static VerbClass? Of(RequestInfo info) => info.Verb switch
    {
        "get" when info.Subresource is "exec" or "attach" or "portforward" => VerbClass.Write, // acts, as authorization sees it
        "get" => VerbClass.Get,
        "list" => VerbClass.List,
        "create" or "update" or "patch" => VerbClass.Write,
        "delete" or "deletecollection" => VerbClass.Delete,
        _ => null,
    };

    public static string Name(VerbClass verbClass) => verbClass switch
    {
        VerbClass.Get => "get",
        VerbClass.List => "list",
        VerbClass.Write => "write",
        _ => "delete",
    };
}
