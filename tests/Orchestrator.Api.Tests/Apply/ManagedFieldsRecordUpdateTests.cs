using System.Text.Json.Nodes;
using Orchestrator.Api.Apply;
using static Orchestrator.Api.Tests.Apply.ManagedFieldsApplyTests;

namespace Orchestrator.Api.Tests.Apply;

public sealed class ManagedFieldsRecordUpdateTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    [Fact]
    public void Create_owns_every_field_but_identity_and_system_metadata()
    {
        JsonObject created = ManagedFields.RecordUpdate(
            null, ConfigMap("{'metadata':{'uid':'u','resourceVersion':'1','labels':{'a':'1'}},'data':{'k':'v'}}"), "kubectl-create", "v1", T0, null);

        Json.Equal(
            """
            [{'manager':'kubectl-create','operation':'Update','apiVersion':'v1','time':'2024-05-01T10:00:00Z',
              'fieldsType':'FieldsV1','fieldsV1':{'f:data':{'f:k':{}},'f:metadata':{'f:labels':{'f:a':{}}}}}]
            """,
            created["metadata"]!["managedFields"]);
    }

    [Fact]
    public void Update_moves_changed_fields_and_drops_managers_left_with_nothing()
    {
        JsonObject created = ManagedFields.RecordUpdate(null, ConfigMap("{'data':{'a':'1','b':'2'}}"), "kubectl-create", "v1", T0, null);

        JsonObject edited = ManagedFields.RecordUpdate(created, Set(created, "data", "{'a':'changed','c':'3'}"), "kubectl-edit", "v1", T1, null);

        JsonArray entries = edited["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal("kubectl-edit", (string?)Assert.Single(entries)!["manager"]);
        Json.Equal("{'f:data':{'f:a':{},'f:c':{}}}", entries[0]!["fieldsV1"]);
        Assert.Equal("2024-05-01T10:01:00Z", (string?)entries[0]!["time"]);
    }

    [Fact]
    public void Update_leaves_other_managers_their_untouched_fields()
    {
        JsonObject created = ManagedFields.RecordUpdate(null, ConfigMap("{'data':{'a':'1','b':'2'}}"), "kubectl-create", "v1", T0, null);

        JsonObject edited = ManagedFields.RecordUpdate(created, Set(created, "data", "{'a':'1','b':'changed'}"), "kubectl-edit", "v1", T1, null);

        Json.Equal("{'f:data':{'f:a':{}}}", Entry(edited, "kubectl-create")["fieldsV1"]);
        Json.Equal("{'f:data':{'f:b':{}}}", Entry(edited, "kubectl-edit")["fieldsV1"]);
        Assert.Equal("Update", (string?)edited["metadata"]!["managedFields"]![1]!["operation"]);
    }

    [Fact]
    public void A_write_that_changes_nothing_keeps_the_time()
    {
        JsonObject created = ManagedFields.RecordUpdate(null, ConfigMap("{'data':{'a':'1'}}"), "m", "v1", T0, null);

        JsonObject again = ManagedFields.RecordUpdate(created, created, "m", "v1", T1, null);

        Assert.True(JsonNode.DeepEquals(created, again));
    }

    [Fact]
    public void Status_writes_own_status_under_the_subresource()
    {
        JsonObject created = ManagedFields.RecordUpdate(null, ConfigMap("{'spec':{'x':1}}", "Thing"), "creator", "v1", T0, null);

        JsonObject status = ManagedFields.RecordUpdate(created, Set(created, "status", "{'ready':true}"), "controller", "v1", T1, "status");

        JsonObject entry = Entry(status, "controller");
        Assert.Equal("status", (string?)entry["subresource"]);
        Json.Equal("{'f:status':{'f:ready':{}}}", entry["fieldsV1"]);
        Json.Equal("{'f:spec':{'f:x':{}}}", Entry(status, "creator")["fieldsV1"]);
    }

    [Fact]
    public void A_client_can_reset_managed_fields_with_one_empty_entry()
    {
        JsonObject created = ManagedFields.RecordUpdate(null, ConfigMap("{'data':{'a':'1'}}"), "m", "v1", T0, null);
        JsonObject reset = (JsonObject)created.DeepClone();
        reset["metadata"]!["managedFields"] = Json.Parse("[{}]");

        JsonObject written = ManagedFields.RecordUpdate(created, reset, "other", "v1", T1, null);

        Assert.Null(written["metadata"]!["managedFields"]);
    }
}
