using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Resources;
using Orchestrator.Server.Security.Authentication;

namespace Orchestrator.Server.Http.Rest;

/// <summary>
/// POST serviceaccounts/{name}/token (TokenRequest, `kubectl create token`): a token for the service account,
/// optionally bound to a Pod or Secret of its namespace, for the audiences and lifetime asked (at least 10 minutes,
/// 1 hour by default, at most 48 hours).
/// </summary>
public sealed class TokenRequestRest(ServiceAccountTokens tokens, ResourceStores stores, TimeProvider clock) : ISubresourceRest
{
    private static readonly TimeSpan Shortest = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Longest = TimeSpan.FromHours(48);

    public async Task HandleAsync(RestRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.Token);
        var ns = request.Namespace ?? "";
        var account = await request.Store.FindAsync(ns, request.Name, local: false, request.Token)
            ?? throw ApiException.NotFound(request.Resource.GroupResource, request.Name);
        var errors = new FieldErrorList();
        var seconds = body.Long("spec", "expirationSeconds") ?? 3600;
        if (seconds < Shortest.TotalSeconds)
            errors.Invalid(FieldPath.Root("spec", "expirationSeconds"), seconds, "may not specify a duration less than 10 minutes");
        if (seconds > 1L << 32)
            errors.Invalid(FieldPath.Root("spec", "expirationSeconds"), seconds, "may not specify a duration larger than 2^32 seconds");
        var audiences = body.Strings("spec", "audiences").ToList();
        if (audiences.Count == 0)
            audiences.Add(ServiceAccountTokens.Issuer);
        BoundObject? bound = null;
        if (body.Obj("spec", "boundObjectRef") is { } reference)
        {
            var kind = reference.Str("kind") ?? "";
            var plural = kind switch { "Pod" => "pods", "Secret" => "secrets", _ => null };
            if (plural is null)
            {
                errors.NotSupported(FieldPath.Root("spec", "boundObjectRef", "kind"), kind, ["Pod", "Secret"]);
            }
            else
            {
                var name = reference.Str("name") ?? "";
                var target = await stores.For("", plural).FindAsync(ns, name, local: false, request.Token);
                if (target is null)
                    throw ApiException.NotFound(new("", plural), name);
                if (reference.Str("uid") is { Length: > 0 } uid && uid != target.Uid())
                    throw ApiException.Conflict(new("", plural), name, $"the UID in the bound object reference ({uid}) does not match the {kind.ToLowerInvariant()} ({target.Uid()})");
                bound = new BoundObject(kind, name, target.Uid());
            }
        }
        errors.ThrowIfAny(new("authentication.k8s.io", "TokenRequest"), request.Name);

        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(Math.Min(seconds, Longest.TotalSeconds));
        var token = tokens.Issue(ns, request.Name, account.Uid(), audiences, now, lifetime, bound);
        var spec = body.Obj("spec")?.DeepClone() as JsonObject ?? new JsonObject();
        spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)JsonValue.Create(a))]);
        spec["expirationSeconds"] = (long)lifetime.TotalSeconds;
        var response = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = request.Name, ["namespace"] = ns, ["creationTimestamp"] = Json.Timestamp(now) },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = Json.Timestamp(now.Add(lifetime)) },
        };
        await request.RespondAsync(201, response);
    }
}
