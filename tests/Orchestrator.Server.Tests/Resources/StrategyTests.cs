using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Objects;
using Orchestrator.Api.Registry;
using Orchestrator.Server.CustomResources;
using Orchestrator.Server.Resources;
using Orchestrator.Server.Resources.Strategies;
using Xunit;

namespace Orchestrator.Server.Tests.Resources;

/// <summary>What each kind's strategy decides, without a cluster.</summary>
public sealed class StrategyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private readonly StrategyTable table = new(new ServiceIpAllocator("10.96.0.0/12"));

    private ResourceStrategy For(string group, string plural) =>
        table.For(BuiltInResources.All.Single(r => r.Group == group && r.Plural == plural));

    [Theory]
    [InlineData("apps", "deployments", true)]
    [InlineData("apps", "replicasets", true)]
    [InlineData("", "replicationcontrollers", true)]
    [InlineData("batch", "jobs", true)]
    [InlineData("batch", "cronjobs", true)]
    [InlineData("policy", "poddisruptionbudgets", true)]
    [InlineData("networking.k8s.io", "ingresses", true)]
    [InlineData("", "pods", false)]
    [InlineData("", "configmaps", false)]
    public void Controller_kinds_track_generation(string group, string plural, bool tracks) =>
        Assert.Equal(tracks, For(group, plural).TracksGeneration);

    [Theory]
    [InlineData("", "endpoints", true)]
    [InlineData("", "events", true)]
    [InlineData("coordination.k8s.io", "leases", true)]
    [InlineData("", "configmaps", false)]
    [InlineData("", "pods", false)]
    public void Only_upserted_kinds_create_on_update(string group, string plural, bool allowed) =>
        Assert.Equal(allowed, For(group, plural).AllowsCreateOnUpdate);

    [Fact]
    public void A_bound_pod_is_deleted_gracefully_and_an_unbound_one_at_once()
    {
        var strategy = For("", "pods");
        var bound = Pod(node: "n1");

        var marked = strategy.MarkForDeletion((JsonObject)bound.DeepClone(), bound, DeleteOptions.None with { GracePeriodSeconds = 20 }, Now);
        var unbound = strategy.MarkForDeletion(Pod(node: null), Pod(node: null), DeleteOptions.None, Now);

        Assert.NotNull(marked);
        Assert.Equal(20, marked.Long("metadata", "deletionGracePeriodSeconds"));
        Assert.Equal("2026-12-04T12:00:20Z", marked.Str("metadata", "deletionTimestamp"));
        Assert.Null(unbound);
        Assert.Null(strategy.MarkForDeletion(bound, bound, DeleteOptions.None with { GracePeriodSeconds = 0 }, Now));
    }

    [Fact]
    public void A_namespace_goes_terminating_and_is_held_by_its_spec_finalizers()
    {
        var strategy = For("", "namespaces");
        var ns = JsonNode.Parse("""{"metadata":{"name":"a"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""")!.AsObject();

        var marked = strategy.MarkForDeletion((JsonObject)ns.DeepClone(), ns, DeleteOptions.None, Now)!;

        Assert.Equal("Terminating", marked.Str("status", "phase"));
        Assert.True(strategy.HoldsDeletion(marked));
        marked.Child("spec")["finalizers"] = new JsonArray();
        Assert.False(strategy.HoldsDeletion(marked));
    }

    [Fact]
    public void A_deleted_crd_waits_for_its_objects_under_the_cleanup_finalizer()
    {
        var strategy = For("apiextensions.k8s.io", "customresourcedefinitions");
        var crd = DatabaseCrd();

        var marked = strategy.MarkForDeletion((JsonObject)crd.DeepClone(), crd, DeleteOptions.None, Now)!;

        Assert.Contains(CustomResourceDefinitionStrategy.CleanupFinalizer, marked.Finalizers());
        Assert.NotNull(marked.Str("metadata", "deletionTimestamp"));
        Assert.True(CrdConditions.IsTrue(marked, "Terminating"));
    }

    [Fact]
    public void A_custom_resource_is_pruned_defaulted_and_validated_by_its_schema()
    {
        var resource = CustomResourceDefinitions.ResourcesOf(DatabaseCrd()).Single();
        var strategy = table.For(resource);
        var db = JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Database","metadata":{"name":"d"},"spec":{"size":"ten","version":"9.9","extra":1}}""")!.AsObject();

        Assert.True(strategy.TracksGeneration);
        Assert.False(strategy.SupportsStrategicMerge);
        Assert.Equal(["spec.extra"], strategy.UnknownFields(resource, db));
        strategy.Canonicalize(db);
        strategy.ApplyDefaults(db);
        var errors = new FieldErrorList();
        strategy.Validate(db, errors);

        Assert.Null(db.At("spec", "extra"));
        Assert.Equal(2, db.Long("spec", "replicas"));
        Assert.Equal(["spec.size", "spec.version"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void A_replication_controller_takes_its_selector_labels_and_replicas_from_defaults()
    {
        var strategy = For("", "replicationcontrollers");
        var rc = ReplicationController("""{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}""");

        strategy.ApplyDefaults(rc);
        var errors = new FieldErrorList();
        strategy.Validate(rc, errors);

        Assert.Empty(errors);
        Assert.Equal("""{"app":"web"}""", rc.At("spec", "selector")!.ToJsonString());
        Assert.Equal("""{"app":"web"}""", rc.At("metadata", "labels")!.ToJsonString());
        Assert.Equal(1, rc.Long("spec", "replicas"));
        Assert.True(strategy.SelectorIsMap);
    }

    [Fact]
    public void A_replication_controller_keeps_the_selector_labels_and_replicas_it_was_given()
    {
        var strategy = For("", "replicationcontrollers");
        var rc = ReplicationController("""{"replicas":0,"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"web","tier":"front"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}""");
        rc.Metadata()["labels"] = new JsonObject { ["team"] = "a" };

        strategy.ApplyDefaults(rc);
        var errors = new FieldErrorList();
        strategy.Validate(rc, errors);

        Assert.Empty(errors);
        Assert.Equal("""{"app":"web"}""", rc.At("spec", "selector")!.ToJsonString());
        Assert.Equal("""{"team":"a"}""", rc.At("metadata", "labels")!.ToJsonString());
        Assert.Equal(0, rc.Long("spec", "replicas"));
    }

    [Theory]
    // The template's labels do not carry the selector's.
    [InlineData("""{"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}""", "spec.template.metadata.labels")]
    // No selector, and no template labels to take one from.
    [InlineData("""{"template":{"spec":{"containers":[{"name":"c","image":"busybox"}]}}}""", "spec.selector")]
    // A selector is a map of labels, not a LabelSelector object.
    [InlineData("""{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}""", "spec.selector[matchLabels]")]
    [InlineData("""{"selector":{"app":"-bad-"},"template":{"metadata":{"labels":{"app":"-bad-"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}""", "spec.selector[app]")]
    [InlineData("""{"replicas":-1,"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}""", "spec.replicas")]
    [InlineData("""{"selector":{"app":"web"}}""", "spec.template")]
    public void A_replication_controller_with_a_bad_selector_template_or_count_is_invalid(string spec, string field)
    {
        var strategy = For("", "replicationcontrollers");
        var rc = ReplicationController(spec);

        strategy.ApplyDefaults(rc);
        var errors = new FieldErrorList();
        strategy.Validate(rc, errors);

        Assert.Contains(field, errors.Select(e => e.Field));
    }

    private static JsonObject ReplicationController(string spec) =>
        JsonNode.Parse($$"""{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},"spec":{{spec}}}""")!.AsObject();

    private static JsonObject Pod(string? node)
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{"terminationGracePeriodSeconds":30}}""")!.AsObject();
        if (node is not null)
            pod.Child("spec")["nodeName"] = node;
        return pod;
    }

    private static JsonObject DatabaseCrd() => JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"databases.example.com","uid":"u1"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"databases","singular":"database","kind":"Database"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object","properties":{
              "size":{"type":"string","pattern":"^[0-9]+Gi$"},
              "version":{"type":"string","enum":["14.5","15.1"]},
              "replicas":{"type":"integer","default":2}}}}}}}]}}
        """)!.AsObject();
}
