using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Tests.Patching;

public sealed class JsonPatchTests
{
    // Mostly the examples of RFC 6902, appendix A, plus Kubernetes-shaped ones.
    [Theory]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'foo':'bar','baz':'qux'}")]
    [InlineData("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}")]
    [InlineData("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':'x'}]", "{'foo':['bar','x']}")]
    [InlineData("{'foo':['bar']}", "[{'op':'add','path':'/foo/1','value':'x'}]", "{'foo':['bar','x']}")]
    [InlineData("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}")]
    [InlineData("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}")]
    [InlineData("{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}")]
    [InlineData("{'a':[1,2,3]}", "[{'op':'replace','path':'/a/2','value':9}]", "{'a':[1,2,9]}")]
    [InlineData("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}", "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]", "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}")]
    [InlineData("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}")]
    [InlineData("{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':1},'c':{'b':1}}")]
    [InlineData("{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]", "{'baz':'qux','foo':['a',2,'c']}")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}")]
    [InlineData("{'foo':['bar']}", "[{'op':'add','path':'/foo','value':['abc','def']}]", "{'foo':['abc','def']}")]
    [InlineData("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10},{'op':'replace','path':'/~1','value':1}]", "{'/':1,'~1':10}")]
    [InlineData("{'':0}", "[{'op':'replace','path':'/','value':1}]", "{'':1}")]
    [InlineData("{'a':1}", "[{'op':'add','path':'','value':[1]}]", "[1]")]
    [InlineData("{'a':null}", "[{'op':'test','path':'/a','value':null}]", "{'a':null}")]
    [InlineData("{'n':1}", "[{'op':'test','path':'/n','value':1.0}]", "{'n':1}")]
    [InlineData("{'spec':{'template':{'x':1}},'metadata':{'annotations':{'a':'1'}}}",
        "[{'op':'replace','path':'/spec/template','value':{'y':2}},{'op':'replace','path':'/metadata/annotations','value':{'b':'2'}}]",
        "{'spec':{'template':{'y':2}},'metadata':{'annotations':{'b':'2'}}}")]
    [InlineData("{'metadata':{'labels':{'app.kubernetes.io/name':'x'}}}", "[{'op':'remove','path':'/metadata/labels/app.kubernetes.io~1name'}]", "{'metadata':{'labels':{}}}")]
    public void Applies_operations(string document, string patch, string expected)
    {
        Json.Equal(expected, JsonPatch.Parse(Json.Parse(patch)).Apply(Json.Parse(document)));
    }

    [Theory]
    [InlineData("{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]", "testing value /baz failed")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]", "doc is missing path")]
    [InlineData("{'foo':'bar'}", "[{'op':'remove','path':'/nope'}]", "doc is missing path")]
    [InlineData("{'foo':'bar'}", "[{'op':'replace','path':'/nope','value':1}]", "doc is missing path")]
    [InlineData("{'foo':[1]}", "[{'op':'add','path':'/foo/2','value':1}]", "doc is missing path")]
    [InlineData("{'foo':[1]}", "[{'op':'add','path':'/foo/01','value':1}]", "doc is missing path")]
    [InlineData("{'foo':[1]}", "[{'op':'remove','path':'/foo/-'}]", "doc is missing path")]
    [InlineData("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]", "own child")]
    [InlineData("{'a':1}", "[{'op':'copy','from':'/x','path':'/b'}]", "doc is missing path")]
    [InlineData("{'a':1}", "[{'op':'test','path':'/a/b','value':1}]", "doc is missing path")]
    public void Failing_operations_are_unprocessable(string document, string patch, string fragment)
    {
        PatchException error = Assert.Throws<PatchException>(
            () => JsonPatch.Parse(Json.Parse(patch)).Apply(Json.Parse(document)));

        Assert.Equal(PatchErrorKind.Unprocessable, error.Kind);
        Assert.Contains(fragment, error.Message);
        ApiException api = error.ToApiException();
        Assert.Equal(422, api.Code);
        Assert.Equal(StatusReasons.Invalid, api.Reason);
    }

    [Theory]
    [InlineData("{'op':'add','path':'/a'}")]
    [InlineData("[{'op':'add','path':'/a'}]")]
    [InlineData("[{'op':'frobnicate','path':'/a'}]")]
    [InlineData("[{'path':'/a','value':1}]")]
    [InlineData("[{'op':'move','path':'/a'}]")]
    [InlineData("[{'op':'add','path':'a','value':1}]")]
    [InlineData("[{'op':'add','path':'/a~2','value':1}]")]
    [InlineData("[1]")]
    public void Malformed_patches_are_bad_requests(string patch)
    {
        PatchException error = Assert.Throws<PatchException>(() => JsonPatch.Parse(Json.Parse(patch)));

        Assert.Equal(PatchErrorKind.Malformed, error.Kind);
        Assert.Equal(400, error.ToApiException().Code);
    }

    [Fact]
    public void A_failing_operation_leaves_the_document_untouched()
    {
        var document = Json.Object("{'a':1}");
        JsonPatch patch = JsonPatch.Parse(Json.Parse("[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':5}]"));

        Assert.Throws<PatchException>(() => patch.Apply(document));

        Json.Equal("{'a':1}", document);
    }
}
