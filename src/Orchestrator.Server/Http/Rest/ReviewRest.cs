using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Security;
using Orchestrator.Server.Security.Authentication;
using Orchestrator.Server.Security.Authorization;
using Orchestrator.Server.Security.Authorization.Rbac;

namespace Orchestrator.Server.Http.Rest;

/// <summary>
/// The review kinds of authorization.k8s.io and authentication.k8s.io: a create answered at once and never stored
/// (kubectl auth can-i, can-i --list, whoami; TokenReview and SubjectAccessReview for other servers).
/// </summary>
public sealed class ReviewRest(AuthorizerChain authorizer, RbacAuthorizer rbac, RequestAuthenticator authenticator)
{
    public static bool Serves(RequestInfo info) =>
        info.Group is BuiltInResources.Authorization or BuiltInResources.Authentication
        && BuiltInResources.Reviews.Any(r => r.Group == info.Group && r.Plural == info.Resource);

    public async Task HandleAsync(HttpContext context, RequestInfo info, UserInfo caller)
    {
        var definition = BuiltInResources.Reviews.First(r => r.Group == info.Group && r.Plural == info.Resource);
        if (info.Verb != "create" || info.Name is not null || info.Subresource is not null)
            throw ApiException.MethodNotAllowed(new(info.Group, info.Resource), info.Verb);
        var review = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if (review.Str("kind") is { } kind && kind != definition.Kind)
            throw ApiException.BadRequest($"the body is a {kind}, not a {definition.Kind}");
        var token = context.RequestAborted;
        var status = info.Resource switch
        {
            "selfsubjectaccessreviews" => await AccessAsync(caller, review, null, token),
            "localsubjectaccessreviews" => await AccessAsync(SubjectOf(review), review, info.Namespace ?? "", token),
            "subjectaccessreviews" => await AccessAsync(SubjectOf(review), review, null, token),
            "selfsubjectrulesreviews" => await RulesAsync(caller, review, token),
            "selfsubjectreviews" => new JsonObject { ["userInfo"] = UserJson(caller) },
            _ => await TokenAsync(review, token),
        };
        review["apiVersion"] = $"{definition.Group}/{definition.Version}";
        review["kind"] = definition.Kind;
        review["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        review["status"] = status;
        await ApiResponses.WriteJsonAsync(context, 201, review);
    }

    private async Task<JsonObject> AccessAsync(UserInfo user, JsonObject review, string? urlNamespace, CancellationToken token)
    {
        var spec = review.Obj("spec") ?? throw ApiException.BadRequest("spec is required");
        AuthorizationAttributes attributes;
        if (spec.Obj("resourceAttributes") is { } resource)
        {
            var ns = resource.Str("namespace") ?? "";
            if (urlNamespace is not null && ns != urlNamespace)
                throw Invalid(review, "spec.resourceAttributes.namespace", ns, "must match metadata.namespace");
            attributes = new AuthorizationAttributes(user, resource.Str("verb") ?? "")
            {
                IsResourceRequest = true,
                ApiGroup = resource.Str("group") ?? "",
                ApiVersion = resource.Str("version") ?? "",
                Resource = resource.Str("resource") ?? "",
                Subresource = resource.Str("subresource") ?? "",
                Namespace = ns,
                Name = resource.Str("name") ?? "",
            };
        }
        else if (spec.Obj("nonResourceAttributes") is { } path)
        {
            attributes = new AuthorizationAttributes(user, path.Str("verb") ?? "") { Path = path.Str("path") ?? "" };
        }
        else
        {
            throw Invalid(review, "spec.resourceAttributes", null, "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        var result = await authorizer.AuthorizeAsync(attributes, token);
        var status = new JsonObject { ["allowed"] = result.Decision == Decision.Allow };
        if (result.Decision == Decision.Deny && result.Reason.Length > 0)
            status["reason"] = result.Reason;
        return status;
    }

    private async Task<JsonObject> RulesAsync(UserInfo user, JsonObject review, CancellationToken token)
    {
        var ns = review.Str("spec", "namespace") ?? "";
        var rules = user.Groups.Contains(UserInfo.MastersGroup)
            ? [new PolicyRule(["*"], ["*"], ["*"], [], []), new PolicyRule(["*"], [], [], [], ["*"])]
            : (await rbac.CurrentAsync(token)).RulesOf(user, ns);
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rules)
        {
            var json = rule.ToJson();
            if (rule.NonResourceUrls.Count > 0)
                nonResourceRules.Add(json);
            else
                resourceRules.Add(json);
        }
        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }

    private async Task<JsonObject> TokenAsync(JsonObject review, CancellationToken token)
    {
        var presented = review.Str("spec", "token");
        if (string.IsNullOrEmpty(presented))
            throw Invalid(review, "spec.token", "", "token is required");
        var user = await authenticator.AuthenticateTokenAsync(presented, token);
        var status = new JsonObject { ["authenticated"] = user is not null };
        if (user is not null)
            status["user"] = UserJson(user);
        if (review.Arr("spec", "audiences") is { } audiences)
            status["audiences"] = audiences.DeepClone();
        return status;
    }

    private static UserInfo SubjectOf(JsonObject review)
    {
        var spec = review.Obj("spec") ?? throw ApiException.BadRequest("spec is required");
        var name = spec.Str("user") ?? "";
        var groups = spec.Strings("groups").ToList();
        if (name.Length == 0 && groups.Count == 0)
            throw Invalid(review, "spec.user", "", "at least one of user or group must be specified");
        return new UserInfo(name, groups) { Uid = spec.Str("uid") ?? "" };
    }

    private static JsonObject UserJson(UserInfo user)
    {
        var json = new JsonObject { ["username"] = user.Name, ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)JsonValue.Create(g))]) };
        if (user.Uid.Length > 0)
            json["uid"] = user.Uid;
        if (user.Extra.Count > 0)
            json["extra"] = new JsonObject(user.Extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode)JsonValue.Create(v))]))));
        return json;
    }

    private static ApiException Invalid(JsonObject review, string field, object? value, string detail) =>
        ApiException.Invalid(new(review.Str("apiVersion")?.Split('/')[0] ?? "", review.Str("kind") ?? ""), "",
            [new FieldError(field, FieldErrorType.Invalid, value, detail)]);
}
