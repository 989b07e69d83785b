using Orchestrator.Api.Errors;
using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Tests.Validation;

public sealed class ObjectMetaValidationTests
{
    private static readonly FieldPath Metadata = FieldPath.Root("metadata");

    [Theory]
    [InlineData("web", null, null)]
    [InlineData(null, "web-", null)]
    [InlineData(null, "web", null)]
    [InlineData(null, null, "metadata.name: Required value: name or generateName is required")]
    [InlineData("Web", null, "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain")]
    [InlineData(null, "Web-", "metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain")]
    [InlineData(null, "web--", null)]
    [InlineData(null, "-", "metadata.generateName: Invalid value: \"-\"")]
    public void Name_or_generate_name(string? name, string? generateName, string? expectedPrefix)
    {
        var errors = new FieldErrorList();

        ObjectMetaValidation.ValidateName(name, generateName, NameValidation.CheckDns1123Subdomain, Metadata, errors);

        if (expectedPrefix is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith(expectedPrefix, Assert.Single(errors).ToString());
        }
    }

    [Theory]
    [InlineData("{'app':'web','example.com/tier':'front'}", null)]
    [InlineData("{'-bad':'x'}", "metadata.labels: Invalid value: \"-bad\"")]
    [InlineData("{'app':'bad value'}", "metadata.labels[app]: Invalid value: \"bad value\"")]
    [InlineData("{'app':5}", "metadata.labels[app]: Invalid value: 5: must be a string")]
    [InlineData("['x']", "metadata.labels: Invalid value: [\"x\"]")]
    public void Labels(string labels, string? expectedPrefix)
    {
        var errors = new FieldErrorList();

        ObjectMetaValidation.ValidateLabels(Json.Parse(labels), Metadata.Child("labels"), errors);

        if (expectedPrefix is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith(expectedPrefix, Assert.Single(errors).ToString());
        }
    }

    [Fact]
    public void Annotations_allow_any_value_but_limit_total_size()
    {
        var errors = new FieldErrorList();
        var small = new System.Text.Json.Nodes.JsonObject { ["Example.com/Note"] = "any value at all: {}!" };
        ObjectMetaValidation.ValidateAnnotations(small, Metadata.Child("annotations"), errors);
        Assert.Empty(errors);

        var big = new System.Text.Json.Nodes.JsonObject { ["a"] = new string('x', ObjectMetaValidation.TotalAnnotationSizeLimit) };
        ObjectMetaValidation.ValidateAnnotations(big, Metadata.Child("annotations"), errors);
        Assert.Equal("metadata.annotations: Too long: may not be more than 262144 bytes", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Generated_names_are_prefix_plus_five_safe_characters()
    {
        var generator = new NameGenerator(new Random(1));

        string name = generator.Generate("web-");
        string longName = generator.Generate(new string('a', 70));

        Assert.StartsWith("web-", name);
        Assert.Equal(9, name.Length);
        Assert.All(name[4..], c => Assert.Contains(c, "bcdfghjklmnpqrstvwxz2456789"));
        Assert.Equal(63, longName.Length);
        Assert.True(NameValidation.IsDns1123Subdomain(name));
    }
}
