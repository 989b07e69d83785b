using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Tests.CustomResources;

public sealed class StructuralSchemaValidationTests
{
    private static readonly StructuralSchema Schema = DatabaseCrd.Schema();

    private static FieldErrorList Validate(string spec)
    {
        var errors = new FieldErrorList();
        Schema.Validate(DatabaseCrd.Object(spec), errors);
        return errors;
    }

    [Fact]
    public void A_valid_object_has_no_errors()
    {
        Assert.Empty(Validate("{'size':'10Gi','version':'14.5','replicas':3,'port':5432,'users':[{'name':'a','roles':['r']}]}"));
    }

    [Fact]
    public void Two_bad_fields_give_two_errors_each_naming_its_path()
    {
        FieldErrorList errors = Validate("{'size':'ten','version':'9.6'}");

        Assert.Collection(
            errors,
            e =>
            {
                Assert.Equal("spec.size", e.Field);
                Assert.Equal(FieldErrorType.Invalid, e.Type);
                Assert.Equal("spec.size: Invalid value: \"ten\": spec.size in body should match '^[0-9]+Gi$'", e.ToString());
            },
            e =>
            {
                Assert.Equal("spec.version", e.Field);
                Assert.Equal(FieldErrorType.NotSupported, e.Type);
                Assert.Equal("spec.version: Unsupported value: \"9.6\": supported values: \"13.0\", \"14.5\", \"15.1\"", e.ToString());
            });
    }

    [Fact]
    public void Type_mismatch_names_the_value_type_as_kube_does()
    {
        FieldError error = Assert.Single(Validate("{'size':'1Gi','replicas':'three'}"));

        Assert.Equal("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"", error.ToString());
    }

    [Theory]
    [InlineData("0", "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1")]
    [InlineData("6", "spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5")]
    [InlineData("2.5", "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"")]
    public void Replicas_bounds_and_type(string replicas, string expected)
    {
        Assert.Equal(expected, Assert.Single(Validate($"{{'size':'1Gi','replicas':{replicas}}}")).ToString());
    }

    [Fact]
    public void Missing_required_field_is_required()
    {
        FieldError error = Assert.Single(Validate("{'version':'13.0'}"));

        Assert.Equal(("spec.size", FieldErrorType.Required), (error.Field, error.Type));
    }

    [Theory]
    [InlineData("5432")]
    [InlineData("'postgres'")]
    public void Int_or_string_accepts_integers_and_strings(string port)
    {
        Assert.Empty(Validate($"{{'size':'1Gi','port':{port}}}"));
    }

    [Theory]
    [InlineData("true", "boolean")]
    [InlineData("1.5", "number")]
    [InlineData("{}", "object")]
    public void Int_or_string_rejects_other_types(string port, string type)
    {
        FieldError error = Assert.Single(Validate($"{{'size':'1Gi','port':{port}}}"));

        Assert.Equal($"spec.port: Invalid value: \"{type}\": spec.port in body must be of type integer,string: \"{type}\"", error.ToString());
    }

    [Fact]
    public void Lists_maps_and_lengths_report_kube_types_at_their_paths()
    {
        FieldErrorList errors = Validate(
            "{'size':'1Gi','users':[{'name':'a'},{'roles':[1]},{'name':'a'},{'name':'d'}],'labels':{'x':''},'backup':{'schedule':'01234567890'},'tags':'x'}");

        Assert.Equal(
            new[]
            {
                ("spec.users", FieldErrorType.TooMany),
                ("spec.users[1].name", FieldErrorType.Required),
                ("spec.users[1].roles[0]", FieldErrorType.Invalid),
                ("spec.users[2]", FieldErrorType.Duplicate),
                ("spec.labels.x", FieldErrorType.Invalid),
                ("spec.backup.schedule", FieldErrorType.TooLong),
                ("spec.tags", FieldErrorType.Invalid),
            },
            errors.Select(e => (e.Field, e.Type)));
        Assert.Equal("spec.users: Too many: 4: must have at most 3 items", errors[0].ToString());
    }

    [Theory]
    [InlineData("2025-01-15T12:00:00Z", true)]
    [InlineData("2025-01-15T12:00:00.5+02:00", true)]
    [InlineData("yesterday", false)]
    public void Date_time_format_is_checked(string value, bool valid)
    {
        FieldErrorList errors = Validate($"{{'size':'1Gi','created':'{value}'}}");

        Assert.Equal(valid, errors.IsEmpty);
        if (!valid)
        {
            Assert.Equal($"spec.created: Invalid value: \"{value}\": spec.created in body must be of type date-time: \"{value}\"", errors[0].ToString());
        }
    }

    [Fact]
    public void Preserved_fields_and_unknown_fields_are_not_validation_errors()
    {
        Assert.Empty(Validate("{'size':'1Gi','extra':{'anything':[1,'two']},'bogus':1}"));
    }

    [Fact]
    public void Null_is_allowed_only_where_nullable()
    {
        StructuralSchema schema = StructuralSchema.Parse(Json.Object(
            "{'type':'object','properties':{'a':{'type':'string','nullable':true},'b':{'type':'string'}}}"));
        var errors = new FieldErrorList();

        schema.Validate(Json.Object("{'a':null,'b':null}"), errors);

        Assert.Equal("b: Invalid value: \"null\": b in body must be of type string: \"null\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Exclusive_bounds_use_strict_wording()
    {
        StructuralSchema schema = StructuralSchema.Parse(Json.Object(
            "{'type':'object','properties':{'n':{'type':'number','minimum':0,'exclusiveMinimum':true}}}"));
        var errors = new FieldErrorList();

        schema.Validate(Json.Object("{'n':0}"), errors);

        Assert.Equal("n: Invalid value: 0: n in body should be greater than 0", Assert.Single(errors).ToString());
    }
}
