using Orchestrator.Api.Validation;

namespace Orchestrator.Api.Tests.Validation;

public sealed class NameValidationTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("my-name", true)]
    [InlineData("123-abc", true)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("A", false)]
    [InlineData("a.b", false)]
    [InlineData("a_b", false)]
    public void Dns1123_label(string value, bool valid)
    {
        Assert.Equal(valid, NameValidation.IsDns1123Label(value));
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("a.b-c.d", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("a.-b", false)]
    [InlineData("Example.com", false)]
    public void Dns1123_subdomain(string value, bool valid)
    {
        Assert.Equal(valid, NameValidation.IsDns1123Subdomain(value));
    }

    [Fact]
    public void Length_limits_are_63_for_labels_and_253_for_subdomains()
    {
        Assert.True(NameValidation.IsDns1123Label(new string('a', 63)));
        Assert.Equal("must be no more than 63 characters", NameValidation.CheckDns1123Label(new string('a', 64))[0]);
        string longest = string.Join(".", Enumerable.Repeat(new string('a', 63), 4))[..253];
        Assert.True(NameValidation.IsDns1123Subdomain(longest));
        Assert.Contains("must be no more than 253 characters", NameValidation.CheckDns1123Subdomain(longest + "a"));
    }

    [Theory]
    [InlineData("app", true)]
    [InlineData("App_Name.v1", true)]
    [InlineData("example.com/app", true)]
    [InlineData("kubernetes.io/cluster-service", true)]
    [InlineData("/app", false)]
    [InlineData("example.com/", false)]
    [InlineData("a/b/c", false)]
    [InlineData("Example.com/app", false)]
    [InlineData("-app", false)]
    [InlineData("app-", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void Qualified_name(string value, bool valid)
    {
        Assert.Equal(valid, NameValidation.IsQualifiedName(value));
    }

    [Fact]
    public void Qualified_name_parts_have_their_own_limits()
    {
        Assert.True(NameValidation.IsQualifiedName("example.com/" + new string('a', 63)));
        Assert.Contains("name part must be no more than 63 characters", NameValidation.CheckQualifiedName(new string('a', 64)));
        Assert.StartsWith("prefix part ", NameValidation.CheckQualifiedName("Bad/app")[0]);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("web", true)]
    [InlineData("My_Value.1", true)]
    [InlineData("-web", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    public void Label_value(string value, bool valid)
    {
        Assert.Equal(valid, NameValidation.IsLabelValue(value));
        Assert.False(NameValidation.IsLabelValue(new string('a', 64)));
    }
}
