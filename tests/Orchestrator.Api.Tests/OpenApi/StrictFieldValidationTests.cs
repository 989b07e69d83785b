using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tests.OpenApi;

public sealed class StrictFieldValidationTests
{
    private static readonly GroupVersionKind Deployment = new("apps", "v1", "Deployment");

    [Fact]
    public void Finds_unknown_fields_at_any_depth()
    {
        var deployment = Json.Object("""
            {'apiVersion':'apps/v1','kind':'Deployment','bogusTop':1,
             'metadata':{'name':'web','labels':{'any-key':'v'},'annotations':{'a/b':'c'},'colour':'red'},
             'spec':{'foo':1,'replicas':2,'selector':{'matchLabels':{'app':'web'}},
               'template':{'metadata':{'labels':{'app':'web'}},
                 'spec':{'containers':[{'name':'c','image':'nginx','bogus':true,
                   'resources':{'limits':{'cpu':'1','example.com/gpu':'2'}}}]}}}}
            """);

        IReadOnlyList<string> unknown = StrictFieldValidation.UnknownFields(Deployment, deployment);

        Assert.Equal(["bogusTop", "metadata.colour", "spec.foo", "spec.template.spec.containers[0].bogus"], unknown);
    }

    [Fact]
    public void Accepts_any_key_in_maps()
    {
        var configMap = Json.Object("""
            {'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'x':'y'},'annotations':{'z':'w'}},
             'data':{'anything':'goes','more':'here'},'binaryData':{'k':'AAAA'}}
            """);

        Assert.Empty(StrictFieldValidation.UnknownFields(new GroupVersionKind("", "v1", "ConfigMap"), configMap));
    }

    [Fact]
    public void Reports_indexes_of_list_items()
    {
        var pod = Json.Object("""
            {'spec':{'containers':[{'name':'a'},{'name':'b','ports':[{'containerPort':80,'nope':1}]}],
                     'nodeSelector':{'disk':'ssd'}}}
            """);

        Assert.Equal(["spec.containers[1].ports[0].nope"], StrictFieldValidation.UnknownFields(new GroupVersionKind("", "v1", "Pod"), pod));
    }

    [Fact]
    public void Free_form_fields_accept_anything()
    {
        var pod = Json.Object("{'metadata':{'managedFields':[{'manager':'m','fieldsV1':{'f:spec':{'f:any':{}}}}]}}");

        Assert.Empty(StrictFieldValidation.UnknownFields(new GroupVersionKind("", "v1", "Pod"), pod));
    }

    [Fact]
    public void Unknown_kinds_have_no_unknown_fields()
    {
        Assert.Empty(StrictFieldValidation.UnknownFields(new GroupVersionKind("example.com", "v1", "Widget"), Json.Object("{'spec':{'x':1}}")));
    }

    [Fact]
    public void Message_matches_kube_apiserver()
    {
        Assert.Equal(
            "strict decoding error: unknown field \"spec.foo\", unknown field \"x\"",
            StrictFieldValidation.Message(["spec.foo", "x"]));
    }
}
