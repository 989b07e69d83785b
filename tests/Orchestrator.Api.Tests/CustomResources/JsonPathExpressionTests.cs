using System.Text.Json.Nodes;
using Orchestrator.Api.Tables;

namespace Orchestrator.Api.Tests.CustomResources;

public sealed class JsonPathExpressionTests
{
    private static readonly JsonObject Obj = Json.Object(
        "{'metadata':{'name':'x','labels':{'app.kubernetes.io/name':'db'}},'spec':{'size':'1Gi','items':[{'name':'a'},{'name':'b'}]},'status':{'conditions':[{'type':'Synced','status':'False'},{'type':'Ready','status':'True'}],'n':2}}");

    [Theory]
    [InlineData(".spec.size", "['1Gi']")]
    [InlineData("{.spec.size}", "['1Gi']")]
    [InlineData(".spec.items[0].name", "['a']")]
    [InlineData(".spec.items[-1].name", "['b']")]
    [InlineData(".spec.items[*].name", "['a','b']")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "['True']")]
    [InlineData(".status.conditions[?(@.type=='Synced')].status", "['False']")]
    [InlineData(".status.conditions[?(@.type!=\"Ready\")].type", "['Synced']")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "['db']")]
    [InlineData(".status.n", "[2]")]
    [InlineData(".spec.missing", "[]")]
    [InlineData(".spec.items[5].name", "[]")]
    public void Evaluates_the_subset(string path, string expected)
    {
        Assert.True(JsonPathExpression.TryParse(path, out JsonPathExpression? expression));

        Json.Equal(expected, new JsonArray([.. expression!.Evaluate(Obj).Select(n => n?.DeepClone())]));
    }

    [Theory]
    [InlineData("spec.size")]
    [InlineData(".spec[")]
    [InlineData(".spec[?(type==1)]")]
    public void Rejects_what_it_cannot_evaluate(string path)
    {
        Assert.False(JsonPathExpression.TryParse(path, out _));
    }
}
