using Orchestrator.Api.Errors;
using Orchestrator.Api.Selectors;

namespace Orchestrator.Api.Tests.Selectors;

public sealed class LabelSelectorTests
{
    // Labels used by the match table: app=web, tier=frontend, version=3.
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["app"] = "web",
        ["tier"] = "frontend",
        ["version"] = "3",
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("app!=db", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,api)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("app notin (db,cache)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("missing in (x)", false)]
    [InlineData("app", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("version>2", true)]
    [InlineData("version>3", false)]
    [InlineData("version<4", true)]
    [InlineData("app>1", false)]
    [InlineData("missing<100", false)]
    [InlineData("app=web,tier=frontend", true)]
    [InlineData("app=web,tier=backend", false)]
    [InlineData(" app = web , tier in ( frontend ) ", true)]
    [InlineData("example.com/role", false)]
    [InlineData("in=x", false)]
    [InlineData("app in (in,web)", true)]
    public void Parse_then_match(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));
    }

    [Theory]
    [InlineData("app=", "app=")]
    [InlineData("b=2,a=1", "a=1,b=2")]
    [InlineData("x in (c,a,b,a)", "x in (a,b,c)")]
    [InlineData("x notin (b, a)", "x notin (a,b)")]
    [InlineData("!k,k2", "!k,k2")]
    [InlineData("n>5,m<1", "m<1,n>5")]
    [InlineData("example.com/app==web", "example.com/app=web")]
    public void Prints_canonically(string selector, string expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).ToString());
    }

    [Fact]
    public void Empty_value_matches_empty_label()
    {
        LabelSelector selector = LabelSelector.Parse("app=");
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "" }));
        Assert.False(selector.Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("app in web", "expected: '('")]
    [InlineData("app in (web", "expected: ',' or ')'")]
    [InlineData("app=web,", "expected: !, identifier")]
    [InlineData(",app", "expected: !, identifier")]
    [InlineData("app web", "expected: in, notin")]
    [InlineData("app=web tier=x", "expected: ',' or 'end of string'")]
    [InlineData("!", "expected: identifier after '!'")]
    [InlineData("app=(web)", "expected: identifier")]
    [InlineData("version>x", "the value must be an integer")]
    [InlineData("version<", "expected: integer value")]
    [InlineData("bad key=x", "expected: in, notin")]
    [InlineData("-bad=x", "key: Invalid value: \"-bad\"")]
    [InlineData("a/b/c=x", "key: Invalid value")]
    [InlineData("app=bad value!", "expected: ',' or 'end of string'")]
    [InlineData("app=-web", "values: Invalid value: \"-web\"")]
    public void Bad_syntax_is_a_bad_request(string selector, string fragment)
    {
        ApiException error = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));

        Assert.Equal(400, error.Code);
        Assert.Equal(StatusReasons.BadRequest, error.Reason);
        Assert.Contains(fragment, error.Message);
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{'matchLabels':{'app':'web'}}", true)]
    [InlineData("{'matchLabels':{'app':'db'}}", false)]
    [InlineData("{'matchExpressions':[{'key':'tier','operator':'In','values':['frontend','backend']}]}", true)]
    [InlineData("{'matchExpressions':[{'key':'tier','operator':'NotIn','values':['frontend']}]}", false)]
    [InlineData("{'matchExpressions':[{'key':'app','operator':'Exists'}]}", true)]
    [InlineData("{'matchExpressions':[{'key':'app','operator':'DoesNotExist'}]}", false)]
    [InlineData("{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'gone','operator':'DoesNotExist'}]}", true)]
    public void From_json_label_selector(string json, bool expected)
    {
        Assert.Equal(expected, LabelSelector.FromJson(Json.Parse(json)).Matches(Labels));
    }

    [Fact]
    public void Null_json_selector_matches_nothing_but_empty_matches_everything()
    {
        Assert.True(LabelSelector.FromJson(null).IsNothing);
        Assert.False(LabelSelector.FromJson(null).Matches(Labels));
        Assert.True(LabelSelector.FromJson(Json.Parse("{}")).IsEverything);
    }

    [Theory]
    [InlineData("{'matchExpressions':[{'key':'a','operator':'In','values':[]}]}", "values set can't be empty")]
    [InlineData("{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}", "values set must be empty")]
    [InlineData("{'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]}", "not a valid label selector operator")]
    [InlineData("{'matchLabels':{'a':1}}", "must be a string")]
    [InlineData("{'matchLabels':{'a':'-x'}}", "Invalid value")]
    [InlineData("[]", "must be an object")]
    public void Bad_json_selector_is_a_bad_request(string json, string fragment)
    {
        ApiException error = Assert.Throws<ApiException>(() => LabelSelector.FromJson(Json.Parse(json)));
        Assert.Equal(400, error.Code);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Matches_metadata_labels_node_directly()
    {
        var labels = Json.Object("{'app':'web','n':'7'}");
        Assert.True(LabelSelector.Parse("app=web,n>6").Matches(labels));
        Assert.False(LabelSelector.Parse("app").Matches((System.Text.Json.Nodes.JsonObject?)null));
    }
}
