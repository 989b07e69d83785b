using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Tests.CustomResources;

/// <summary>
/// The OpenAPI 3.0 to JSON Schema translation JsonSchema.Net evaluates, and kube's wording for the
/// keywords the Database CRD does not exercise.
/// </summary>
public sealed class StructuralSchemaJsonSchemaTests
{
    private static List<string> Errors(string properties, string obj)
    {
        StructuralSchema schema = StructuralSchema.Parse(Json.Object("{'type':'object','properties':" + properties + "}"));
        var errors = new FieldErrorList();
        schema.Validate(Json.Object(obj), errors);
        return [.. errors.Select(e => e.ToString())];
    }

    [Fact]
    public void The_json_schema_is_built_once_per_structural_schema()
    {
        StructuralSchema schema = DatabaseCrd.Schema();

        schema.Validate(DatabaseCrd.Object(), new FieldErrorList());
        schema.Validate(DatabaseCrd.Object(), new FieldErrorList());

        Assert.Same(schema.CompiledForObjects, schema.CompiledForObjects);
    }

    [Fact]
    public void OpenApi_keywords_become_draft_2020_12_ones()
    {
        StructuralSchema schema = StructuralSchema.Parse(Json.Object(
            "{'type':'object','required':['kind','a'],'properties':{'a':{'type':'string','nullable':true,'enum':['x']}," +
            "'n':{'type':'number','minimum':0,'exclusiveMinimum':true,'maximum':9},'p':{'x-kubernetes-int-or-string':true}}}"));

        var translated = schema.CompiledForObjects.Translated;

        Assert.Equal("[\"string\",\"null\"]", translated["properties"]!["a"]!["type"]!.ToJsonString());
        Assert.Equal("[\"x\",null]", translated["properties"]!["a"]!["enum"]!.ToJsonString());
        Assert.Equal("0", translated["properties"]!["n"]!["exclusiveMinimum"]!.ToJsonString());
        Assert.Null(translated["properties"]!["n"]!["minimum"]);
        Assert.Equal("9", translated["properties"]!["n"]!["maximum"]!.ToJsonString());
        Assert.Equal("[\"integer\",\"string\"]", translated["properties"]!["p"]!["type"]!.ToJsonString());
        Assert.Equal("[\"a\"]", translated["required"]!.ToJsonString());
    }

    [Fact]
    public void Every_failing_field_is_reported_in_document_order()
    {
        List<string> errors = Errors(
            "{'b':{'type':'integer','maximum':1},'a':{'type':'object','properties':{'z':{'type':'string'},'y':{'type':'string','minLength':2}}}}",
            "{'a':{'y':'1','z':2},'b':5}");

        Assert.Equal(
            [
                "a.y: Invalid value: \"1\": a.y in body should be at least 2 chars long",
                "a.z: Invalid value: \"integer\": a.z in body must be of type string: \"integer\"",
                "b: Invalid value: 5: b in body should be less than or equal to 1",
            ],
            errors);
    }

    [Fact]
    public void Lengths_count_code_points_as_go_does()
    {
        // "e" + combining acute accent: one grapheme, two runes.
        Assert.Equal(
            ["s: Too long: may not be more than 1 byte"],
            Errors("{'s':{'type':'string','maxLength':1}}", "{'s':'e\u0301'}"));
        Assert.Empty(Errors("{'s':{'type':'string','minLength':2}}", "{'s':'e\u0301'}"));
    }

    [Fact]
    public void Patterns_run_linear_time_on_the_regex_the_crd_check_compiles()
    {
        // Catastrophic for a backtracking engine; immediate without backtracking.
        List<string> errors = Errors("{'s':{'type':'string','pattern':'^(a+)+$'}}", "{'s':'" + new string('a', 40) + "!'}");

        Assert.Equal(["s: Invalid value: \"" + new string('a', 40) + "!\": s in body should match '^(a+)+$'"], errors);
    }

    [Fact]
    public void Alternatives_fail_as_a_whole_and_allOf_reports_its_branch()
    {
        List<string> errors = Errors(
            "{'a':{'type':'integer','anyOf':[{'minimum':5},{'maximum':1}]},'o':{'type':'integer','oneOf':[{'minimum':0},{'maximum':10}]}," +
            "'n':{'type':'string','not':{'enum':['no']}},'l':{'type':'integer','allOf':[{'multipleOf':2}]}}",
            "{'a':3,'o':5,'n':'no','l':3}");

        Assert.Equal(
            [
                "a: Invalid value: 3: a in body must validate at least one schema (anyOf)",
                "o: Invalid value: 5: o in body must validate one and only one schema (oneOf)",
                "n: Invalid value: \"no\": n in body must not validate the schema (not)",
                "l: Invalid value: 3: l in body should be a multiple of 2",
            ],
            errors);
        Assert.Empty(Errors("{'a':{'type':'integer','anyOf':[{'minimum':5},{'maximum':1}]}}", "{'a':7}"));
    }

    [Fact]
    public void Object_and_array_bounds_and_unique_items()
    {
        List<string> errors = Errors(
            "{'m':{'type':'object','minProperties':2,'maxProperties':3,'additionalProperties':{'type':'string'}}," +
            "'l':{'type':'array','minItems':5,'uniqueItems':true,'items':{'type':'integer'}}}",
            "{'m':{'k':'v'},'l':[1,1]}");

        Assert.Equal(
            [
                "m: Invalid value: 1: m in body should have at least 2 properties",
                "l: Invalid value: 2: l in body should have at least 5 items",
                "l: Invalid value: \"\": l in body shouldn't contain duplicates",
            ],
            errors);
    }

    [Theory]
    [InlineData("2147483647", true)]
    [InlineData("2147483648", false)]
    public void Int32_format_bounds_numbers(string value, bool valid)
    {
        List<string> errors = Errors("{'i':{'type':'integer','format':'int32'}}", "{'i':" + value + "}");

        Assert.Equal(valid ? [] : [$"i: Invalid value: {value}: i in body must be of type int32: \"{value}\""], errors);
    }

    [Fact]
    public void Kube_formats_replace_the_library_ones_and_unknown_formats_pass()
    {
        Assert.Empty(Errors("{'u':{'type':'string','format':'uri'},'x':{'type':'string','format':'made-up'},'p':{'x-kubernetes-int-or-string':true,'format':'int-or-string'}}",
            "{'u':'/relative/path','x':'anything','p':'80%'}"));
        Assert.Equal(
            ["b: Invalid value: \"!!\": b in body must be of type byte: \"!!\""],
            Errors("{'b':{'type':'string','format':'byte'}}", "{'b':'!!'}"));
    }

    [Fact]
    public void Nullable_values_skip_their_other_keywords()
    {
        Assert.Empty(Errors("{'a':{'type':'string','nullable':true,'enum':['x'],'minLength':3}}", "{'a':null}"));
        Assert.Equal(
            ["a: Unsupported value: \"y\": supported values: \"x\""],
            Errors("{'a':{'type':'string','nullable':true,'enum':['x']}}", "{'a':'y'}"));
    }

    [Fact]
    public void Root_system_fields_and_unknown_fields_are_left_to_others()
    {
        StructuralSchema schema = StructuralSchema.Parse(Json.Object(
            "{'type':'object','required':['metadata','spec'],'properties':{'metadata':{'type':'string'},'spec':{'type':'object'}}}"));
        var errors = new FieldErrorList();

        schema.Validate(Json.Object("{'metadata':{'name':'x'},'unknown':1}"), errors);

        Assert.Equal(["spec: Required value"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Map_keys_with_pointer_characters_keep_their_field_path()
    {
        Assert.Equal(
            ["m.a/b~c dé: Invalid value: \"\": m.a/b~c dé in body should be at least 1 chars long"],
            Errors("{'m':{'type':'object','additionalProperties':{'type':'string','minLength':1}}}", "{'m':{'ok':'v','a/b~c dé':''}}"));
    }

    [Fact]
    public void Repeated_enum_values_and_required_names_are_harmless()
    {
        Assert.Equal(
            ["a: Unsupported value: \"z\": supported values: \"x\", \"x\"", "b.c: Required value"],
            Errors("{'a':{'type':'string','enum':['x','x']},'b':{'type':'object','required':['c','c']}}", "{'a':'z','b':{}}"));
    }
}
