using Orchestrator.Api.Errors;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tests.Errors;

public sealed class ApiExceptionTests
{
    private static readonly GroupResource Deployments = new("apps", "deployments");
    private static readonly GroupResource Pods = new("", "pods");
    private static readonly GroupResource ConfigMaps = new("", "configmaps");

    public static TheoryData<string, int, string, string> Factories => new()
    {
        { "notfound-apps", 404, "NotFound", "deployments.apps \"x\" not found" },
        { "notfound-core", 404, "NotFound", "pods \"x\" not found" },
        { "exists", 409, "AlreadyExists", "pods \"x\" already exists" },
        { "conflict", 409, "Conflict", "Operation cannot be fulfilled on configmaps \"cm1\": the object has been modified; please apply your changes to the latest version and try again" },
        { "badrequest", 400, "BadRequest", "bad things" },
        { "expired", 410, "Expired", "too old resource version: 5 (42)" },
        { "gone", 410, "Gone", "gone away" },
        { "toomany", 429, "TooManyRequests", "slow down" },
        { "unavailable", 503, "ServiceUnavailable", "no leader" },
        { "mediatype", 415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml" },
        { "method", 405, "MethodNotAllowed", "deletecollection is not supported on resources of kind \"pods\"" },
        { "forbidden", 403, "Forbidden", "pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "forbidden-named", 403, "Forbidden", "deployments.apps \"web\" is forbidden: nope" },
        { "unauthorized", 401, "Unauthorized", "Unauthorized" },
        { "internal", 500, "InternalError", "Internal error occurred: boom" },
        { "timeout", 504, "Timeout", "took too long" },
    };

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_sets_code_reason_and_message(string which, int code, string reason, string message)
    {
        ApiException error = Create(which);

        Assert.Equal(code, error.Code);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(message, error.Message);
        Assert.Equal(Status.Failure, error.Status.Outcome);
    }

    [Fact]
    public void NotFound_details_name_the_group_and_resource()
    {
        StatusDetails details = ApiException.NotFound(Deployments, "x").Details!;

        Assert.Equal("x", details.Name);
        Assert.Equal("apps", details.Group);
        Assert.Equal("deployments", details.Kind);
    }

    [Fact]
    public void Status_json_has_the_kubernetes_shape_and_order()
    {
        var error = ApiException.Invalid(
            new GroupKind("", "Pod"),
            "p",
            [new FieldError("spec.containers[0].image", FieldErrorType.Required, null, "", HasValue: false)]);

        string json = error.Status.ToJson().ToJsonString();

        Assert.Equal(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"Pod \\u0022p\\u0022 is invalid: spec.containers[0].image: Required value\",\"reason\":\"Invalid\","
            + "\"details\":{\"name\":\"p\",\"kind\":\"Pod\",\"causes\":[{\"reason\":\"FieldValueRequired\",\"message\":\"Required value\",\"field\":\"spec.containers[0].image\"}]},"
            + "\"code\":422}",
            json);
    }

    [Fact]
    public void Status_json_omits_empty_details_and_round_trips()
    {
        Status status = ApiException.TooManyRequests("slow down", retryAfterSeconds: 5).Status;
        var json = status.ToJson();

        Json.Equal(
            "{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure','message':'slow down','reason':'TooManyRequests','details':{'retryAfterSeconds':5},'code':429}",
            json);
        Assert.Equal(status, Status.FromJson(json));
    }

    [Fact]
    public void Success_status_has_no_reason_or_message()
    {
        Json.Equal(
            "{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Success','details':{'name':'x','kind':'pods'},'code':200}",
            Status.Succeeded(new StatusDetails { Name = "x", Kind = "pods" }).ToJson());
    }

    private static ApiException Create(string which) => which switch
    {
        "notfound-apps" => ApiException.NotFound(Deployments, "x"),
        "notfound-core" => ApiException.NotFound(Pods, "x"),
        "exists" => ApiException.AlreadyExists(Pods, "x"),
        "conflict" => ApiException.Conflict(ConfigMaps, "cm1"),
        "badrequest" => ApiException.BadRequest("bad things"),
        "expired" => ApiException.TooOldResourceVersion(5, 42),
        "gone" => ApiException.Gone("gone away"),
        "toomany" => ApiException.TooManyRequests("slow down"),
        "unavailable" => ApiException.ServiceUnavailable("no leader"),
        "mediatype" => ApiException.UnsupportedMediaType(["application/json", "application/yaml"]),
        "method" => ApiException.MethodNotAllowed(Pods, "deletecollection"),
        "forbidden" => ApiException.Forbidden(Pods, "", "User \"x\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""),
        "forbidden-named" => ApiException.Forbidden(Deployments, "web", "nope"),
        "unauthorized" => ApiException.Unauthorized(),
        "internal" => ApiException.InternalError("boom"),
        "timeout" => ApiException.Timeout("took too long"),
        _ => throw new ArgumentOutOfRangeException(nameof(which)),
    };
}
