using Orchestrator.Api.Errors;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Api.Tests.Selectors;

public sealed class FieldSelectorTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Pod = Json.Object(
        "{'metadata':{'name':'web-1','namespace':'prod'},'spec':{'nodeName':'node1','hostNetwork':true},'status':{'phase':'Running'}}");

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=web-1", true)]
    [InlineData("metadata.name==web-1", true)]
    [InlineData("metadata.name!=web-1", false)]
    [InlineData("metadata.namespace=prod,spec.nodeName=node1", true)]
    [InlineData("spec.nodeName=node1,status.phase!=Succeeded,status.phase!=Failed", true)]
    [InlineData("spec.nodeName=node2", false)]
    [InlineData("status.podIP=", true)]
    [InlineData("status.podIP!=", false)]
    [InlineData("spec.hostNetwork=true", true)]
    [InlineData("status.phase=Running,", true)]
    public void Matches_pod_fields(string selector, bool expected)
    {
        FieldSelector parsed = FieldSelector.Parse(selector, KnownSelectableFields.Pods.Supported);
        Assert.Equal(expected, parsed.Matches(Pod, KnownSelectableFields.Pods));
    }

    [Theory]
    [InlineData(@"reason=a\,b", "a,b")]
    [InlineData(@"reason=a\=b", "a=b")]
    [InlineData(@"reason=a\\b", @"a\b")]
    [InlineData(@"reason=x\,y\=z\\", @"x,y=z\")]
    public void Unescapes_values(string selector, string expected)
    {
        FieldRequirement requirement = Assert.Single(FieldSelector.Parse(selector).Requirements);
        Assert.Equal("reason", requirement.Field);
        Assert.Equal(expected, requirement.Value);
        Assert.Equal(selector, FieldSelector.Parse(selector).ToString());
    }

    [Fact]
    public void Escaped_comma_does_not_split_terms()
    {
        FieldSelector selector = FieldSelector.Parse(@"a=1\,2,b!=3");
        Assert.Collection(
            selector.Requirements,
            r => Assert.Equal(new FieldRequirement("a", FieldOperator.Equals, "1,2"), r),
            r => Assert.Equal(new FieldRequirement("b", FieldOperator.NotEquals, "3"), r));
    }

    [Theory]
    [InlineData("metadata.name", "can't understand")]
    [InlineData("=x", "field name is empty")]
    [InlineData(@"a=b\x", @"invalid escape sequence: \x")]
    [InlineData(@"a=b\", "invalid escape sequence")]
    [InlineData("a=b=c", "unescaped character '='")]
    public void Bad_syntax_is_a_bad_request(string selector, string fragment)
    {
        ApiException error = Assert.Throws<ApiException>(() => FieldSelector.Parse(selector));
        Assert.Equal(400, error.Code);
        Assert.Contains(fragment, error.Message);
    }

    [Theory]
    [InlineData("spec.foo=bar", "field label not supported: spec.foo")]
    [InlineData("metadata.name=x,status.phase=Running", "field label not supported: status.phase")]
    public void Unknown_field_is_a_bad_request(string selector, string message)
    {
        ApiException error = Assert.Throws<ApiException>(
            () => FieldSelector.Parse(selector, KnownSelectableFields.Namespaced.Supported));
        Assert.Equal(400, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Exact_match_is_found_for_point_reads()
    {
        FieldSelector selector = FieldSelector.Parse("metadata.name=x,status.phase!=Failed");
        Assert.True(selector.TryGetExactMatch("metadata.name", out string name));
        Assert.Equal("x", name);
        Assert.False(selector.TryGetExactMatch("status.phase", out _));
    }

    [Fact]
    public void Event_involved_object_fields_are_selectable()
    {
        var ev = Json.Object("{'metadata':{'name':'e','namespace':'d'},'involvedObject':{'name':'p','namespace':'d','uid':'u1'},'type':'Normal'}");
        FieldSelector selector = FieldSelector.Parse(
            "involvedObject.name=p,involvedObject.namespace=d,involvedObject.uid=u1", KnownSelectableFields.Events.Supported);
        Assert.True(selector.Matches(ev, KnownSelectableFields.Events));
    }
}
