using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Tests.CustomResources;

public sealed class CustomResourceDefinitionValidationTests
{
    private static List<string> Errors(Action<JsonObject> change)
    {
        JsonObject crd = DatabaseCrd.Crd();
        change(crd);
        var errors = new FieldErrorList();
        CustomResourceDefinitions.Validate(crd, errors);
        return [.. errors.Select(e => e.ToString())];
    }

    private static JsonObject Version(JsonObject crd) => crd["spec"]!["versions"]![0]!.AsObject();

    private static JsonObject Root(JsonObject crd) => Version(crd)["schema"]!["openAPIV3Schema"]!.AsObject();

    [Fact]
    public void The_database_crd_is_valid()
    {
        Assert.Empty(Errors(_ => { }));
    }

    [Fact]
    public void Name_must_be_plural_dot_group()
    {
        Assert.Equal(
            ["metadata.name: Invalid value: \"databases.example.com\": must be spec.names.plural+\".\"+spec.group"],
            Errors(crd => crd["spec"]!["names"]!["plural"] = "dbs"));
    }

    [Fact]
    public void Group_needs_a_dot()
    {
        List<string> errors = Errors(crd =>
        {
            crd["spec"]!["group"] = "example";
            crd["metadata"]!["name"] = "databases.example";
        });

        Assert.Equal(["spec.group: Invalid value: \"example\": should be a domain with at least one dot"], errors);
    }

    [Fact]
    public void Names_scope_and_short_names_are_checked()
    {
        List<string> errors = Errors(crd =>
        {
            crd["spec"]!["scope"] = "Global";
            crd["spec"]!["names"]!["kind"] = "Data_base";
            crd["spec"]!["names"]!["singular"] = "Database";
            crd["spec"]!["names"]!["shortNames"] = new JsonArray("db", "DB");
        });

        Assert.Equal(4, errors.Count);
        Assert.Equal("spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"", errors[0]);
        Assert.StartsWith("spec.names.singular: Invalid value: \"Database\": a DNS-1035 label", errors[1]);
        Assert.StartsWith("spec.names.kind: Invalid value: \"Data_base\": may have mixed case, but should otherwise match: a DNS-1035 label", errors[2]);
        Assert.StartsWith("spec.names.shortNames[1]: Invalid value: \"DB\"", errors[3]);
    }

    [Fact]
    public void Exactly_one_storage_version_with_unique_valid_names()
    {
        List<string> errors = Errors(crd =>
        {
            JsonObject second = Version(crd).DeepClone().AsObject();
            crd["spec"]!["versions"]!.AsArray().Add(second);
            JsonObject third = Version(crd).DeepClone().AsObject();
            third["name"] = "1beta";
            third["storage"] = "yes";
            crd["spec"]!["versions"]!.AsArray().Add(third);
        });

        Assert.Equal(
            [
                "spec.versions[1].name: Duplicate value: \"v1\"",
                "spec.versions[2].name: Invalid value: \"1beta\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                "spec.versions[2].storage: Invalid value: \"string\": must be a boolean",
                "spec.versions: Invalid value: \"3 versions\": must have exactly one version marked as storage version",
            ],
            errors);
    }

    [Fact]
    public void No_versions_is_required()
    {
        Assert.Equal(
            ["spec.versions: Required value: must have exactly one version marked as storage version"],
            Errors(crd => crd["spec"]!["versions"] = new JsonArray()));
    }

    [Fact]
    public void Schema_is_required_and_must_be_structural()
    {
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"],
            Errors(crd => Version(crd).Remove("schema")));

        List<string> errors = Errors(crd =>
        {
            JsonObject spec = Root(crd)["properties"]!["spec"]!.AsObject();
            spec.Remove("type");
            spec["properties"]!["labels"]!["properties"] = new JsonObject { ["a"] = new JsonObject { ["type"] = "string" } };
            spec["properties"]!["tags"]!.AsObject().Remove("items");
            spec["properties"]!["size"]!["pattern"] = "([";
        });

        Assert.Equal(
            [
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].pattern: Invalid value: \"([\": must be a valid regular expression",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[tags].items: Required value: must be specified",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[labels].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
            ],
            errors);
    }

    [Fact]
    public void Defaults_must_satisfy_their_schema()
    {
        List<string> errors = Errors(crd => Root(crd)["properties"]!["spec"]!["properties"]!["version"]!["default"] = "9.6");

        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[version].default: Unsupported value: \"9.6\": supported values: \"13.0\", \"14.5\", \"15.1\""],
            errors);
    }

    [Fact]
    public void Root_must_be_an_object()
    {
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"],
            Errors(crd => Root(crd)["type"] = "string"));
    }

    [Fact]
    public void Webhook_conversion_is_not_supported()
    {
        Assert.Equal(
            ["spec.conversion.strategy: Unsupported value: \"Webhook\": supported values: \"None\""],
            Errors(crd => crd["spec"]!["conversion"] = new JsonObject { ["strategy"] = "Webhook" }));
    }

    [Fact]
    public void Scale_paths_and_printer_columns_are_checked()
    {
        List<string> errors = Errors(crd =>
        {
            Version(crd)["subresources"]!["scale"]!["specReplicasPath"] = ".status.replicas";
            Version(crd)["subresources"]!["scale"]!["labelSelectorPath"] = ".metadata.labels";
            Version(crd)["additionalPrinterColumns"] = Json.Parse("[{'type':'float','jsonPath':'spec.size'}]");
        });

        Assert.Equal(
            [
                "spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".status.replicas\": should be a json path under .spec",
                "spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: \".metadata.labels\": should be a json path under either .spec or .status",
                "spec.versions[0].additionalPrinterColumns[0].name: Required value",
                "spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: \"float\": supported values: \"boolean\", \"date\", \"integer\", \"number\", \"string\"",
                "spec.versions[0].additionalPrinterColumns[0].jsonPath: Invalid value: \"spec.size\": must be a simple json path starting with .",
            ],
            errors);
    }

    [Fact]
    public void Update_keeps_group_and_scope_and_stored_versions()
    {
        JsonObject old = DatabaseCrd.Crd();
        JsonObject crd = DatabaseCrd.Crd();
        crd["spec"]!["scope"] = "Cluster";
        crd["status"] = Json.Parse("{'storedVersions':['v1','v1beta1']}");
        var errors = new FieldErrorList();

        CustomResourceDefinitions.ValidateUpdate(crd, old, errors);

        Assert.Equal(
            [
                "spec.scope: Invalid value: \"Cluster\": field is immutable",
                "status.storedVersions[1]: Invalid value: \"v1beta1\": must appear in spec.versions",
            ],
            errors.Select(e => e.ToString()));
    }
}
