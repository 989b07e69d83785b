using Orchestrator.Api.Errors;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tests.Errors;

public sealed class FieldErrorListTests
{
    private static readonly FieldPath Containers = FieldPath.Root("spec", "containers");

    public static TheoryData<string, string, string> SingleErrors => new()
    {
        { "required", "spec.containers[0].image: Required value", "FieldValueRequired" },
        { "invalid", "spec.replicas: Invalid value: -1: must be greater than or equal to 0", "FieldValueInvalid" },
        { "invalid-string", "metadata.name: Invalid value: \"Bad_Name\": must be lower case", "FieldValueInvalid" },
        { "notsupported", "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", "FieldValueNotSupported" },
        { "duplicate", "spec.containers[1].name: Duplicate value: \"web\"", "FieldValueDuplicate" },
        { "toolong", "metadata.annotations: Too long: may not be more than 262144 bytes", "FieldValueTooLong" },
        { "forbidden", "spec.nodeName: Forbidden: may not be changed", "FieldValueForbidden" },
        { "toomany", "spec.containers: Too many: 5: must have at most 3 items", "FieldValueTooMany" },
        { "notfound", "spec.volumes[0].name: Not found: \"data\"", "FieldValueNotFound" },
    };

    [Theory]
    [MemberData(nameof(SingleErrors))]
    public void Each_error_type_prints_like_kubernetes(string which, string expected, string causeReason)
    {
        var errors = new FieldErrorList();
        Add(errors, which);

        FieldError error = Assert.Single(errors);
        Assert.Equal(expected, error.ToString());
        StatusCause cause = error.ToCause();
        Assert.Equal(causeReason, cause.Reason);
        Assert.Equal(expected, $"{cause.Field}: {cause.Message}");
    }

    [Fact]
    public void One_error_becomes_a_422_with_its_field_as_cause()
    {
        var errors = new FieldErrorList().Required(Containers.Index(0).Child("image"));

        ApiException exception = Assert.Throws<ApiException>(() => errors.ThrowIfAny(new GroupKind("", "Pod"), "p"));

        Assert.Equal(422, exception.Code);
        Assert.Equal("Invalid", exception.Reason);
        Assert.Equal("Pod \"p\" is invalid: spec.containers[0].image: Required value", exception.Message);
        StatusCause cause = Assert.Single(exception.Details!.Causes);
        Assert.Equal(new StatusCause("FieldValueRequired", "Required value", "spec.containers[0].image"), cause);
    }

    [Fact]
    public void Many_errors_aggregate_into_one_message_and_several_causes()
    {
        var errors = new FieldErrorList()
            .Required(Containers.Index(0).Child("image"))
            .Invalid(FieldPath.Root("spec", "replicas"), -1, "must be greater than or equal to 0");

        ApiException exception = errors.ToException(new GroupKind("apps", "Deployment"), "web");

        Assert.Equal(
            "Deployment.apps \"web\" is invalid: [spec.containers[0].image: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]",
            exception.Message);
        Assert.Equal(2, exception.Details!.Causes.Length);
        Assert.Equal("apps", exception.Details.Group);
        Assert.Equal("Deployment", exception.Details.Kind);
    }

    [Fact]
    public void Empty_list_does_not_throw()
    {
        new FieldErrorList().ThrowIfAny(new GroupKind("", "Pod"), "p");
    }

    [Theory]
    [InlineData("metadata.labels[app]")]
    public void Field_paths_print_keys_and_indexes(string expected)
    {
        Assert.Equal(expected, FieldPath.Root("metadata").Child("labels").Key("app").ToString());
        Assert.Equal("spec.template.spec.containers[2].env[0].name",
            FieldPath.Root("spec", "template", "spec", "containers").Index(2).Child("env").Index(0).Child("name").ToString());
    }

    private static void Add(FieldErrorList errors, string which)
    {
        switch (which)
        {
            case "required": errors.Required(Containers.Index(0).Child("image")); break;
            case "invalid": errors.Invalid(FieldPath.Root("spec", "replicas"), -1, "must be greater than or equal to 0"); break;
            case "invalid-string": errors.Invalid(FieldPath.Root("metadata", "name"), "Bad_Name", "must be lower case"); break;
            case "notsupported": errors.NotSupported(FieldPath.Root("spec", "restartPolicy"), "Sometimes", ["Always", "OnFailure", "Never"]); break;
            case "duplicate": errors.Duplicate(Containers.Index(1).Child("name"), "web"); break;
            case "toolong": errors.TooLong(FieldPath.Root("metadata", "annotations"), 262144); break;
            case "forbidden": errors.Forbidden(FieldPath.Root("spec", "nodeName"), "may not be changed"); break;
            case "toomany": errors.TooMany(Containers, 5, 3); break;
            case "notfound": errors.NotFound(FieldPath.Root("spec", "volumes").Index(0).Child("name"), "data"); break;
            default: throw new ArgumentOutOfRangeException(nameof(which));
        }
    }
}
