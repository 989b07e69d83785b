using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private const string TwoContainers =
        "{'spec':{'containers':[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},{'name':'log','image':'busybox'}]}}";

    [Theory]
    // Containers merge by name: only the named one changes.
    [InlineData(TwoContainers,
        "{'spec':{'containers':[{'name':'log','image':'busybox:2'}]}}",
        "{'spec':{'containers':[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},{'name':'log','image':'busybox:2'}]}}")]
    // A new name is appended.
    [InlineData("{'spec':{'containers':[{'name':'web','image':'a'}]}}",
        "{'spec':{'containers':[{'name':'side','image':'b'}]}}",
        "{'spec':{'containers':[{'name':'web','image':'a'},{'name':'side','image':'b'}]}}")]
    // $patch: delete removes the element with that key.
    [InlineData(TwoContainers,
        "{'spec':{'containers':[{'name':'web','$patch':'delete'}]}}",
        "{'spec':{'containers':[{'name':'log','image':'busybox'}]}}")]
    // env merges by name inside a container; null deletes a field of an element.
    [InlineData(TwoContainers,
        "{'spec':{'containers':[{'name':'web','env':[{'name':'B','value':'20'},{'name':'C','value':'3'}]}]}}",
        "{'spec':{'containers':[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'},{'name':'B','value':'20'},{'name':'C','value':'3'}]},{'name':'log','image':'busybox'}]}}")]
    [InlineData(TwoContainers,
        "{'spec':{'containers':[{'name':'web','env':[{'name':'A','$patch':'delete'}],'image':null}]}}",
        "{'spec':{'containers':[{'name':'web','env':[{'name':'B','value':'2'}]},{'name':'log','image':'busybox'}]}}")]
    // Container ports merge by containerPort.
    [InlineData("{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'http'},{'containerPort':443}]}]}}",
        "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}",
        "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443}]}]}}")]
    // Lists without a merge key replace wholesale.
    [InlineData("{'spec':{'tolerations':[{'key':'a'},{'key':'b'}],'containers':[{'name':'c','args':['x','y']}]}}",
        "{'spec':{'tolerations':[{'key':'c'}],'containers':[{'name':'c','args':['z']}]}}",
        "{'spec':{'tolerations':[{'key':'c'}],'containers':[{'name':'c','args':['z']}]}}")]
    // Finalizers merge as a set; $deleteFromPrimitiveList removes.
    [InlineData("{'metadata':{'finalizers':['a','b']}}",
        "{'metadata':{'finalizers':['b','c']}}",
        "{'metadata':{'finalizers':['a','b','c']}}")]
    [InlineData("{'metadata':{'finalizers':['a','b','c']}}",
        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
        "{'metadata':{'finalizers':['a','c']}}")]
    // Maps merge like a merge patch: null deletes (uncordon).
    [InlineData("{'spec':{'unschedulable':true,'podCIDR':'10.0.0.0/24'}}",
        "{'spec':{'unschedulable':null}}",
        "{'spec':{'podCIDR':'10.0.0.0/24'}}")]
    // $patch: replace on a map replaces it instead of merging.
    [InlineData("{'spec':{'selector':{'matchLabels':{'a':'1','b':'2'}}}}",
        "{'spec':{'selector':{'$patch':'replace','matchLabels':{'c':'3'}}}}",
        "{'spec':{'selector':{'matchLabels':{'c':'3'}}}}")]
    // $patch: delete on a map removes the field.
    [InlineData("{'spec':{'affinity':{'nodeAffinity':{}},'x':1}}",
        "{'spec':{'affinity':{'$patch':'delete'}}}",
        "{'spec':{'x':1}}")]
    // $patch: merge is the default, stated explicitly.
    [InlineData("{'spec':{'a':{'b':1}}}",
        "{'spec':{'a':{'$patch':'merge','c':2}}}",
        "{'spec':{'a':{'b':1,'c':2}}}")]
    // {'$patch':'replace'} as a list element replaces a keyed list.
    [InlineData(TwoContainers,
        "{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}",
        "{'spec':{'containers':[{'name':'only','image':'x'}]}}")]
    // $retainKeys: switching a deployment to Recreate drops rollingUpdate.
    [InlineData("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
        "{'spec':{'strategy':{'type':'Recreate'}}}")]
    // Status conditions merge by type.
    [InlineData("{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}",
        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}]}}")]
    // The same rules reach a deployment's pod template, a service's ports, a node's addresses, owner references.
    [InlineData("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}]}}}}",
        "{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'2'}]}}}}",
        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}}}}")]
    [InlineData("{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}",
        "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
        "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443}]}}")]
    [InlineData("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'Hostname','address':'n1'}]}}",
        "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}",
        "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'},{'type':'Hostname','address':'n1'}]}}")]
    [InlineData("{'metadata':{'ownerReferences':[{'uid':'u1','name':'a'}]}}",
        "{'metadata':{'ownerReferences':[{'uid':'u2','name':'b'}]}}",
        "{'metadata':{'ownerReferences':[{'uid':'u1','name':'a'},{'uid':'u2','name':'b'}]}}")]
    [InlineData("{'spec':{'volumes':[{'name':'data','emptyDir':{}},{'name':'cfg','configMap':{'name':'x'}}]}}",
        "{'spec':{'volumes':[{'name':'cfg','configMap':{'name':'y'}}]}}",
        "{'spec':{'volumes':[{'name':'data','emptyDir':{}},{'name':'cfg','configMap':{'name':'y'}}]}}")]
    [InlineData("{'spec':{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/a','name':'x'},{'mountPath':'/b','name':'y'}]}]}}",
        "{'spec':{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/b','readOnly':true}]}]}}",
        "{'spec':{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/a','name':'x'},{'mountPath':'/b','name':'y','readOnly':true}]}]}}")]
    // kubectl rollout restart: a new annotation inside the template.
    [InlineData("{'spec':{'template':{'metadata':{'labels':{'app':'w'}}}}}",
        "{'spec':{'template':{'metadata':{'annotations':{'kubectl.kubernetes.io/restartedAt':'now'}}}}}",
        "{'spec':{'template':{'metadata':{'labels':{'app':'w'},'annotations':{'kubectl.kubernetes.io/restartedAt':'now'}}}}}")]
    // Directives never leak into fields the original did not have.
    [InlineData("{}",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','$patch':'delete'}]}],'$setElementOrder/containers':[{'name':'a'}],'s':{'$patch':'merge','k':1}}}",
        "{'spec':{'containers':[{'name':'a','env':[]}],'s':{'k':1}}}")]
    public void Applies(string original, string patch, string expected)
    {
        Json.Equal(expected, StrategicMergePatch.Apply(Json.Object(original), Json.Parse(patch), PatchSchema.Kubernetes));
    }

    [Theory]
    // Known elements follow the order given.
    [InlineData("[{'name':'a'},{'name':'b'},{'name':'c'}]", "[]", "[{'name':'c'},{'name':'b'},{'name':'a'}]", "c,b,a")]
    // A new element goes where the order puts it.
    [InlineData("[{'name':'a'},{'name':'b'}]", "[{'name':'n'}]", "[{'name':'a'},{'name':'n'},{'name':'b'}]", "a,n,b")]
    // A server-only element (x) goes before the first known element that followed it originally.
    [InlineData("[{'name':'a'},{'name':'x'},{'name':'b'}]", "[]", "[{'name':'b'},{'name':'a'}]", "x,b,a")]
    [InlineData("[{'name':'a'},{'name':'x'},{'name':'b'}]", "[]", "[{'name':'a'},{'name':'b'}]", "a,x,b")]
    public void Set_element_order_orders_containers(string containers, string patchContainers, string order, string expected)
    {
        string patch = $"{{'spec':{{'$setElementOrder/containers':{order},'containers':{patchContainers}}}}}";

        var result = StrategicMergePatch.Apply(
            Json.Object($"{{'spec':{{'containers':{containers}}}}}"), Json.Parse(patch), PatchSchema.Kubernetes);

        string names = string.Join(",", result["spec"]!["containers"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(expected, names);
    }

    [Fact]
    public void Set_element_order_orders_primitive_lists()
    {
        var result = StrategicMergePatch.Apply(
            Json.Object("{'metadata':{'finalizers':['a','b']}}"),
            Json.Parse("{'metadata':{'$setElementOrder/finalizers':['c','b','a'],'finalizers':['c']}}"),
            PatchSchema.Kubernetes);

        Json.Equal("{'metadata':{'finalizers':['c','b','a']}}", result);
    }

    [Theory]
    [InlineData("{'spec':{'containers':[{'image':'x'}]}}", PatchErrorKind.Malformed, "does not contain declared merge key: name")]
    [InlineData("{'spec':{'containers':['x']}}", PatchErrorKind.Malformed, "merge key \"name\"")]
    [InlineData("{'spec':{'$patch':'explode'}}", PatchErrorKind.Malformed, "invalid $patch directive")]
    [InlineData("{'metadata':{'finalizers':[{'a':1}]}}", PatchErrorKind.Malformed, "list of primitives")]
    [InlineData("{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}", PatchErrorKind.Unprocessable, "$retainKeys does not contain key \"rollingUpdate\"")]
    [InlineData("{'spec':{'strategy':{'$retainKeys':'type'}}}", PatchErrorKind.Malformed, "must be a list of strings")]
    [InlineData("{'spec':{'$setElementOrder/tolerations':[{'key':'a'}]}}", PatchErrorKind.Malformed, "applies only to lists that merge")]
    [InlineData("{'spec':{'$setElementOrder/containers':[{'image':'a'}]}}", PatchErrorKind.Malformed, "has no merge key")]
    [InlineData("{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}", PatchErrorKind.Malformed, "list of primitive values")]
    [InlineData("[]", PatchErrorKind.Malformed, "must be a JSON object")]
    public void Bad_patches_fail_with_a_typed_error(string patch, PatchErrorKind kind, string fragment)
    {
        PatchException error = Assert.Throws<PatchException>(
            () => StrategicMergePatch.Apply(Json.Object(TwoContainers), Json.Parse(patch), PatchSchema.Kubernetes));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(fragment, error.Message);
        Assert.Equal(kind == PatchErrorKind.Malformed ? 400 : 422, error.ToApiException().Code);
    }

    [Fact]
    public void Does_not_modify_its_inputs()
    {
        var original = Json.Object(TwoContainers);
        var patch = Json.Object("{'spec':{'containers':[{'name':'web','$patch':'delete'}]}}");

        StrategicMergePatch.Apply(original, patch, PatchSchema.Kubernetes);

        Json.Equal(TwoContainers, original);
        Json.Equal("{'spec':{'containers':[{'name':'web','$patch':'delete'}]}}", patch);
    }

    [Fact]
    public void Without_a_schema_lists_replace()
    {
        Json.Equal(
            "{'spec':{'containers':[{'name':'log'}]}}",
            StrategicMergePatch.Apply(Json.Object(TwoContainers), Json.Parse("{'spec':{'containers':[{'name':'log'}]}}"), PatchSchema.ReplaceAllLists));
    }
}
