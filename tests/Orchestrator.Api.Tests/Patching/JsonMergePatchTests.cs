using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Tests.Patching;

public sealed class JsonMergePatchTests
{
    // The examples of RFC 7386, appendix A.
    [Theory]
    [InlineData("{'a':'b'}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}")]
    [InlineData("{'a':'b'}", "{'a':null}", "{}")]
    [InlineData("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}")]
    [InlineData("{'a':['b']}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'c'}", "{'a':['b']}", "{'a':['b']}")]
    [InlineData("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}")]
    [InlineData("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("['a','b']", "['c','d']", "['c','d']")]
    [InlineData("{'a':'b'}", "['c']", "['c']")]
    [InlineData("{'a':'foo'}", "null", "null")]
    [InlineData("{'a':'foo'}", "'bar'", "'bar'")]
    [InlineData("{'e':null}", "{'a':1}", "{'e':null,'a':1}")]
    [InlineData("[1,2]", "{'a':'b','c':null}", "{'a':'b'}")]
    [InlineData("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}")]
    // kubectl scale / label style patches
    [InlineData("{'spec':{'replicas':1,'paused':true}}", "{'spec':{'replicas':3}}", "{'spec':{'replicas':3,'paused':true}}")]
    [InlineData("{'metadata':{'labels':{'a':'1','b':'2'}}}", "{'metadata':{'labels':{'a':null,'c':'3'}}}", "{'metadata':{'labels':{'b':'2','c':'3'}}}")]
    public void Applies_rfc7386_examples(string target, string patch, string expected)
    {
        Json.Equal(expected, JsonMergePatch.Apply(Json.Parse(target), Json.Parse(patch)));
    }

    [Fact]
    public void Does_not_modify_its_inputs()
    {
        var target = Json.Object("{'a':{'b':1}}");
        var patch = Json.Object("{'a':{'c':2}}");

        JsonMergePatch.Apply(target, patch);

        Json.Equal("{'a':{'b':1}}", target);
        Json.Equal("{'a':{'c':2}}", patch);
    }
}
