using System.Text.Json.Nodes;
using Orchestrator.Api.Apply;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Patching;

namespace Orchestrator.Api.Tests.Apply;

public sealed class ManagedFieldsApplyTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    [Fact]
    public void Apply_to_a_missing_object_creates_it_with_an_Apply_entry()
    {
        JsonObject created = Apply(null, "{'metadata':{'labels':{'app':'web'}},'data':{'key':'v1'}}", "kubectl", T0);

        Json.Equal(
            """
            {'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm1','labels':{'app':'web'},
             'managedFields':[{'manager':'kubectl','operation':'Apply','apiVersion':'v1','time':'2024-05-01T10:00:00Z',
               'fieldsType':'FieldsV1','fieldsV1':{'f:data':{'f:key':{}},'f:metadata':{'f:labels':{'f:app':{}}}}}]},
             'data':{'key':'v1'}}
            """,
            created);
    }

    [Fact]
    public void Reapplying_without_a_label_removes_it()
    {
        JsonObject first = Apply(null, "{'metadata':{'labels':{'app':'web','tier':'fe'}},'data':{'key':'v1'}}", "kubectl", T0);

        JsonObject second = Apply(first, "{'metadata':{'labels':{'app':'web'}},'data':{'key':'v1'}}", "kubectl", T1);

        Json.Equal("{'app':'web'}", second["metadata"]!["labels"]);
        Json.Equal("{'f:data':{'f:key':{}},'f:metadata':{'f:labels':{'f:app':{}}}}", Entry(second, "kubectl")["fieldsV1"]);
        Assert.Equal("2024-05-01T10:01:00Z", (string?)Entry(second, "kubectl")["time"]);
    }

    [Fact]
    public void Dropping_the_last_label_removes_the_emptied_map()
    {
        JsonObject first = Apply(null, "{'metadata':{'labels':{'app':'web'}},'data':{'key':'v1'}}", "kubectl", T0);

        JsonObject second = Apply(first, "{'data':{'key':'v1'}}", "kubectl", T1);

        Assert.Null(second["metadata"]!["labels"]);
    }

    [Fact]
    public void A_field_dropped_by_one_applier_stays_while_another_owns_it()
    {
        JsonObject first = Apply(null, "{'data':{'a':'1','b':'2'}}", "one", T0);
        JsonObject shared = Apply(first, "{'data':{'b':'2'}}", "two", T0);

        JsonObject dropped = Apply(shared, "{'data':{'a':'1'}}", "one", T1);

        Json.Equal("{'a':'1','b':'2'}", dropped["data"]);
        Json.Equal("{'f:data':{'f:b':{}}}", Entry(dropped, "two")["fieldsV1"]);
    }

    [Fact]
    public void Changing_a_field_another_applier_owns_conflicts_like_kube()
    {
        JsonObject first = Apply(null, "{'data':{'key':'v1'}}", "one", T0);

        var error = Assert.Throws<ApiException>(() => Apply(first, "{'data':{'key':'v2'}}", "two", T1));

        Assert.Equal(409, error.Code);
        Assert.Equal(StatusReasons.Conflict, error.Reason);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"one\": .data.key", error.Message);
        Assert.Equal([new StatusCause("FieldManagerConflict", "conflict with \"one\"", ".data.key")], error.Details!.Causes.ToArray());
    }

    [Fact]
    public void Conflicts_with_an_Update_manager_name_its_api_version()
    {
        JsonObject created = ManagedFields.RecordUpdate(
            null, ConfigMap("{'data':{'key':'v1','other':'x'}}"), "kubectl-client-side-apply", "v1", T0, null);

        var error = Assert.Throws<ApiException>(() => Apply(created, "{'data':{'key':'v2'}}", "kubectl", T1));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.key", error.Message);
        Assert.Equal(
            [new StatusCause("FieldManagerConflict", "conflict with \"kubectl-client-side-apply\" using v1", ".data.key")],
            error.Details!.Causes.ToArray());
    }

    [Fact]
    public void Several_conflicts_are_listed_per_manager()
    {
        JsonObject first = Apply(null, "{'data':{'a':'1','b':'1'}}", "one", T0);
        JsonObject second = ManagedFields.RecordUpdate(first, Set(first, "data", "{'a':'1','b':'1','c':'1'}"), "edit", "v1", T0, null);

        var error = Assert.Throws<ApiException>(() => Apply(second, "{'data':{'a':'2','b':'2','c':'2'}}", "two", T1));

        Assert.Equal(
            "Apply failed with 3 conflicts: conflicts with \"edit\" using v1:\n- .data.c\nconflicts with \"one\":\n- .data.a\n- .data.b",
            error.Message);
        Assert.Equal([".data.c", ".data.a", ".data.b"], error.Details!.Causes.Select(c => c.Field));
    }

    [Fact]
    public void Force_takes_the_conflicting_fields()
    {
        JsonObject first = Apply(null, "{'data':{'key':'v1'}}", "one", T0);

        JsonObject forced = Apply(first, "{'data':{'key':'v2'}}", "two", T1, force: true);

        Json.Equal("{'key':'v2'}", forced["data"]);
        JsonArray entries = forced["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal("two", (string?)Assert.Single(entries)!["manager"]);
    }

    [Fact]
    public void The_same_value_is_shared_without_conflict()
    {
        JsonObject first = Apply(null, "{'data':{'key':'v1','mine':'x'}}", "one", T0);

        JsonObject shared = Apply(first, "{'data':{'key':'v1'}}", "two", T1);

        Json.Equal("{'f:data':{'f:key':{},'f:mine':{}}}", Entry(shared, "one")["fieldsV1"]);
        Json.Equal("{'f:data':{'f:key':{}}}", Entry(shared, "two")["fieldsV1"]);
    }

    [Fact]
    public void A_no_op_apply_returns_the_live_object_unchanged()
    {
        JsonObject first = Apply(null, "{'data':{'key':'v1'}}", "kubectl", T0);

        JsonObject again = Apply(first, "{'data':{'key':'v1'}}", "kubectl", T1);

        Assert.True(JsonNode.DeepEquals(first, again));
    }

    [Fact]
    public void Containers_merge_by_name_and_a_dropped_container_goes()
    {
        const string twoContainers = "{'spec':{'containers':[{'name':'web','image':'nginx:1'},{'name':'log','image':'busybox'}]}}";
        JsonObject first = Apply(null, twoContainers, "kubectl", T0, kind: "Pod");
        JsonObject defaulted = ManagedFields.RecordUpdate(
            first, Set(first, "spec", "{'containers':[{'name':'web','image':'nginx:1','imagePullPolicy':'Always'},{'name':'log','image':'busybox'}]}"),
            "defaulter", "v1", T0, null);

        JsonObject second = Apply(defaulted, "{'spec':{'containers':[{'name':'web','image':'nginx:2'}]}}", "kubectl", T1, kind: "Pod");

        Json.Equal("{'containers':[{'name':'web','image':'nginx:2','imagePullPolicy':'Always'}]}", second["spec"]);
        Json.Equal(
            """{'f:spec':{'f:containers':{'k:{\'name\':\'web\'}':{'.':{},'f:image':{},'f:name':{}}}}}""",
            Entry(second, "kubectl")["fieldsV1"]);
    }

    [Fact]
    public void Atomic_lists_are_replaced_and_sets_are_keyed_by_value()
    {
        JsonObject first = Apply(null, "{'metadata':{'finalizers':['a/x']},'spec':{'containers':[{'name':'web','args':['1','2']}]}}", "kubectl", T0, kind: "Pod");

        JsonObject second = Apply(first, "{'metadata':{'finalizers':['a/y']},'spec':{'containers':[{'name':'web','args':['3']}]}}", "kubectl", T1, kind: "Pod");

        Json.Equal("['a/y']", second["metadata"]!["finalizers"]);
        Json.Equal("{'containers':[{'name':'web','args':['3']}]}", second["spec"]);
        Json.Equal(
            """{'f:metadata':{'f:finalizers':{'v:\'a/y\'':{}}},'f:spec':{'f:containers':{'k:{\'name\':\'web\'}':{'.':{},'f:args':{},'f:name':{}}}}}""",
            Entry(second, "kubectl")["fieldsV1"]);
    }

    [Fact]
    public void Status_in_an_applied_configuration_is_not_owned_through_the_main_resource()
    {
        JsonObject created = Apply(null, "{'data':{'key':'v1'},'status':{'phase':'x'}}", "kubectl", T0);

        Json.Equal("{'f:data':{'f:key':{}}}", Entry(created, "kubectl")["fieldsV1"]);
    }

    [Fact]
    public void A_configuration_naming_one_item_twice_is_a_bad_request()
    {
        var error = Assert.Throws<ApiException>(
            () => Apply(null, "{'spec':{'containers':[{'name':'web'},{'name':'web','image':'x'}]}}", "kubectl", T0, kind: "Pod"));

        Assert.Equal(400, error.Code);
        Assert.Equal("failed to create typed patch object: .spec.containers: duplicate entries for key [name=\"web\"]", error.Message);
    }

    [Theory]
    [InlineData("{'kind':'ConfigMap','metadata':{'name':'cm1'}}")]
    [InlineData("{'apiVersion':'v1','metadata':{'name':'cm1'}}")]
    [InlineData("{'apiVersion':'v1','kind':'ConfigMap','metadata':{}}")]
    [InlineData("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm1','managedFields':[{'manager':'x'}]}}")]
    public void Incomplete_configurations_are_bad_requests(string applied)
    {
        var error = Assert.Throws<ApiException>(
            () => ManagedFields.Apply(null, Json.Object(applied), "kubectl", false, PatchSchema.Kubernetes, "v1", T0));

        Assert.Equal(400, error.Code);
    }

    private static JsonObject Apply(JsonObject? live, string body, string manager, DateTimeOffset now, bool force = false, string kind = "ConfigMap") =>
        ManagedFields.Apply(live, ConfigMap(body, kind), manager, force, PatchSchema.Kubernetes, "v1", now);

    /// <summary>A v1 object named cm1 with the given fields; metadata fields are merged in.</summary>
    internal static JsonObject ConfigMap(string fields, string kind = "ConfigMap")
    {
        JsonObject obj = Json.Object($"{{'apiVersion':'v1','kind':'{kind}','metadata':{{'name':'cm1'}}}}");
        foreach ((string name, JsonNode? value) in Json.Object(fields))
        {
            if (name == "metadata")
            {
                foreach ((string field, JsonNode? v) in value!.AsObject())
                {
                    obj["metadata"]![field] = v?.DeepClone();
                }
            }
            else
            {
                obj[name] = value?.DeepClone();
            }
        }

        return obj;
    }

    internal static JsonObject Set(JsonObject obj, string field, string value)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy[field] = Json.Parse(value);
        return copy;
    }

    internal static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == manager)!.AsObject();
}
