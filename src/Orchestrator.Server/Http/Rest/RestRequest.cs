using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Resources;

namespace Orchestrator.Server.Http.Rest;

/// <summary>One resource request: what the URL named, the store of that resource, and the HTTP exchange.</summary>
public sealed record RestRequest(HttpContext Context, RequestInfo Info, ResourceStore Store)
{
    public ResourceDefinition Resource => Store.Resource;

    public string? Namespace => Info.Namespace;

    /// <summary>The object's name; every route that reads it has one.</summary>
    public string Name => Info.Name!;

    public CancellationToken Token => Context.RequestAborted;

    public string Query(string name) => Context.Request.Query[name].ToString();

    /// <summary>dryRun=All (the only value Kubernetes knows); anything else is a 400.</summary>
    public bool DryRun
    {
        get
        {
            var dryRun = Context.Request.Query["dryRun"];
            foreach (var value in dryRun)
            {
                if (value != "All")
                    throw ApiException.BadRequest($"Invalid dryRun value \"{value}\": supported values are \"All\"");
            }
            return dryRun.Count > 0;
        }
    }

    /// <summary>The write's context from the query and headers: dry run, field manager, fieldValidation, apply's force.</summary>
    public WriteContext Write(string? subresource = null)
    {
        var isApply = RequestBody.MediaType(Context.Request) == PatchTypes.Apply && Info.Verb == "patch";
        var validation = Query("fieldValidation") switch
        {
            "" or "Warn" => FieldValidationMode.Warn,
            "Strict" => FieldValidationMode.Strict,
            "Ignore" => FieldValidationMode.Ignore,
            var other => throw ApiException.BadRequest($"fieldValidation parameter unsupported: {other}"),
        };
        return new WriteContext
        {
            DryRun = DryRun,
            // apply names its manager explicitly (the store refuses an empty one); other writes default to the program.
            FieldManager = isApply ? Query("fieldManager") : ManagerName(),
            IsApply = isApply,
            Force = QueryValues.Bool("force", Query("force")),
            Subresource = subresource,
            FieldValidation = validation,
        };
    }

    /// <summary>Writes the answer, with the write's warnings as Warning headers (kubectl prints them).</summary>
    public Task RespondAsync(int code, JsonNode body, WriteContext? write = null)
    {
        foreach (var warning in write?.Warnings ?? [])
            Context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"")}\"");
        return ApiResponses.WriteJsonAsync(Context, code, body);
    }

    /// <summary>The boolean options of logs and exec the API server forwards to a node agent.</summary>
    private static readonly HashSet<string> BooleanOptions = ["follow", "timestamps", "previous", "stdin", "stdout", "stderr", "tty"];

    /// <summary>A query value as forwarded to a node agent: booleans checked and spelled "true"/"false" (400 otherwise), the rest as sent.</summary>
    public static string Normalized(string parameter, string value) =>
        BooleanOptions.Contains(parameter) ? (QueryValues.Bool(parameter, value) ? "true" : "false") : value;

    /// <summary>fieldManager, else the client's program name from its User-Agent, as Kubernetes does.</summary>
    private string ManagerName()
    {
        var manager = Query("fieldManager");
        if (manager.Length > 0)
            return manager;
        var program = Context.Request.Headers.UserAgent.ToString().Split('/', ' ')[0];
        return program.Length == 0 ? "unknown" : program.Length > 128 ? program[..128] : program;
    }
}
