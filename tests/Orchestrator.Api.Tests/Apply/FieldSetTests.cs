using System.Text.Json.Nodes;
using Orchestrator.Api.Apply;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Tests.Apply;

public sealed class FieldSetTests
{
    private const string Deployment = """
        {'apiVersion':'apps/v1','kind':'Deployment',
         'metadata':{'name':'web','namespace':'default','uid':'u1','resourceVersion':'7','labels':{'app':'web'},'finalizers':['example.com/guard']},
         'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},
           'template':{'metadata':{'labels':{'app':'web'}},
             'spec':{'containers':[{'name':'web','image':'nginx','args':['-g','daemon off;'],
               'ports':[{'containerPort':80,'protocol':'TCP'}]}]}}},
         'status':{'replicas':2}}
        """;

    // Deliberately in kube's own order, so the exact serialization can be checked too.
    private const string DeploymentFields = """
        {'f:metadata':{'f:finalizers':{'v:\'example.com/guard\'':{}},'f:labels':{'f:app':{}}},
         'f:spec':{'f:replicas':{},'f:selector':{'f:matchLabels':{'f:app':{}}},
           'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},
             'f:spec':{'f:containers':{'k:{\'name\':\'web\'}':{'.':{},'f:args':{},'f:image':{},'f:name':{},
               'f:ports':{'k:{\'containerPort\':80}':{'.':{},'f:containerPort':{},'f:protocol':{}}}}}}}}}
        """;

    [Fact]
    public void Deployment_fields_use_keys_for_associative_lists_values_for_sets_and_leaves_for_atomic_lists()
    {
        FieldSet fields = ObjectFields.Owned(Json.Object(Deployment), PatchSchema.Kubernetes);

        Json.Equal(DeploymentFields, fields.ToJson());
        Assert.Equal(Json.Object(DeploymentFields).ToJsonString(), fields.ToJson().ToJsonString());
    }

    [Fact]
    public void Status_is_owned_only_through_the_status_subresource()
    {
        FieldSet fields = ObjectFields.Owned(Json.Object(Deployment), PatchSchema.Kubernetes, "status");

        Json.Equal("{'f:status':{'f:replicas':{}}}", fields.ToJson());
    }

    [Fact]
    public void Parse_and_serialize_round_trip()
    {
        FieldSet parsed = FieldSet.Parse(Json.Object(DeploymentFields));

        Assert.Equal(Json.Object(DeploymentFields).ToJsonString(), parsed.ToJson().ToJsonString());
        Assert.Equal(ObjectFields.Owned(Json.Object(Deployment), PatchSchema.Kubernetes), parsed);
    }

    [Fact]
    public void Parse_canonicalizes_keys_written_with_spaces()
    {
        FieldSet spaced = FieldSet.Parse(Json.Object("{'f:spec':{'f:containers':{'k:{ \\'name\\' : \\'web\\' }':{'.':{}}}}}"));
        FieldSet compact = FieldSet.Parse(Json.Object("{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'.':{}}}}}"));

        Assert.Equal(compact, spaced);
    }

    [Theory]
    [InlineData("{'f:a':[]}")]
    [InlineData("{'x:a':{}}")]
    [InlineData("{'k:[1]':{}}")]
    [InlineData("{'.':{}}")]
    public void Parse_rejects_what_is_not_fieldsV1(string fieldsV1)
    {
        Assert.Throws<FormatException>(() => FieldSet.Parse(Json.Object(fieldsV1)));
    }

    [Fact]
    public void Set_operations()
    {
        FieldSet a = Set("{'f:data':{'f:a':{},'f:b':{}}}");
        FieldSet b = Set("{'f:data':{'f:b':{},'f:c':{}}}");

        Json.Equal("{'f:data':{'f:a':{},'f:b':{},'f:c':{}}}", a.Union(b).ToJson());
        Json.Equal("{'f:data':{'f:a':{}}}", a.Difference(b).ToJson());
        Json.Equal("{'f:data':{'f:b':{}}}", a.Intersection(b).ToJson());
        Assert.True(a.Difference(a).IsEmpty);
        Json.Equal("{}", FieldSet.Empty.ToJson());
    }

    [Fact]
    public void Path_lookup_and_kube_display()
    {
        FieldSet fields = FieldSet.Parse(Json.Object(DeploymentFields));
        FieldSetPath image = Path("f:spec", "f:template", "f:spec", "f:containers", """k:{"name":"web"}""", "f:image");
        FieldSetPath container = image.Prefix(5);

        Assert.True(fields.Contains(image));
        Assert.True(fields.Contains(container));
        Assert.True(fields.HasMemberUnder(container));
        Assert.False(fields.Contains(Path("f:spec", "f:template")));
        Assert.Equal(""".spec.template.spec.containers[name="web"].image""", image.ToString());
        Assert.Equal(""".metadata.finalizers[="example.com/guard"]""", Path("f:metadata", "f:finalizers", "v:\"example.com/guard\"").ToString());
        Assert.Equal(".spec.ports[containerPort=80]", Path("f:spec", "f:ports", "k:{\"containerPort\":80}").ToString());
    }

    [Fact]
    public void List_item_without_its_merge_key_is_a_bad_request()
    {
        var pod = Json.Object("{'spec':{'containers':[{'image':'nginx'}]}}");

        var error = Assert.Throws<Orchestrator.Api.Errors.ApiException>(() => ObjectFields.Owned(pod, PatchSchema.Kubernetes));
        Assert.Equal(400, error.Code);
    }

    private static FieldSet Set(string fieldsV1) => FieldSet.Parse(Json.Object(fieldsV1));

    private static FieldSetPath Path(params string[] elements) => new(elements);
}
