using System.Text.Json.Nodes;
using Orchestrator.Api.CustomResources;
using Orchestrator.Api.Patching;
using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tests.CustomResources;

public sealed class ResourcesOfTests
{
    [Fact]
    public void One_resource_per_served_version_with_names_scope_and_subresources()
    {
        JsonObject crd = DatabaseCrd.Crd();
        JsonObject beta = crd["spec"]!["versions"]![0]!.DeepClone().AsObject();
        beta["name"] = "v1beta1";
        beta["storage"] = false;
        beta.Remove("subresources");
        JsonObject hidden = beta.DeepClone().AsObject();
        hidden["name"] = "v1alpha1";
        hidden["served"] = false;
        crd["spec"]!["versions"]!.AsArray().Add(beta);
        crd["spec"]!["versions"]!.AsArray().Add(hidden);

        var resources = CustomResourceDefinitions.ResourcesOf(crd);

        Assert.Equal(["v1", "v1beta1"], resources.Select(r => r.Version));
        ResourceDefinition v1 = resources[0];
        Assert.Equal(("example.com", "Database", "databases", "database", true), (v1.Group, v1.Kind, v1.Plural, v1.Singular, v1.Namespaced));
        Assert.Equal(new[] { "db" }, v1.ShortNames);
        Assert.Equal(new[] { "all" }, v1.Categories);
        Assert.Equal(Verbs.Standard.AsEnumerable(), v1.Verbs);
        Assert.Equal(KnownSelectableFieldsNamespaced(), v1.FieldSelectors);
        Assert.Collection(
            v1.Subresources,
            s => Assert.Equal(("status", new GroupVersionKind("example.com", "v1", "Database")), (s.Name, s.ResponseKind)),
            s => Assert.Equal(("scale", new GroupVersionKind("autoscaling", "v1", "Scale")), (s.Name, s.ResponseKind)));
        Assert.All(v1.Subresources, s => Assert.Equal(Verbs.GetPatchUpdate.AsEnumerable(), s.Verbs));
        Assert.True(v1.Custom!.Storage);
        Assert.True(v1.Custom.HasStatus);
        Assert.Equal(new ScaleSubresource(".spec.replicas", ".status.replicas"), v1.Custom.Scale);
        Assert.Equal(new PrinterColumn("Size", "string", ".spec.size"), v1.Custom.Columns[0]);
        Assert.Equal(1, v1.Custom.Columns[2].Priority);

        Assert.Empty(resources[1].Subresources);
        Assert.False(resources[1].Custom!.Storage);
    }

    [Fact]
    public void Singular_defaults_to_lowercase_kind_and_cluster_scope_is_read()
    {
        JsonObject crd = DatabaseCrd.Crd();
        crd["spec"]!["names"]!.AsObject().Remove("singular");
        crd["spec"]!["scope"] = "Cluster";

        ResourceDefinition resource = CustomResourceDefinitions.ResourcesOf(crd).Single();

        Assert.Equal("database", resource.Singular);
        Assert.False(resource.Namespaced);
    }

    [Fact]
    public void Built_ins_have_no_custom_version()
    {
        Assert.All(BuiltInResources.All, r => Assert.Null(r.Custom));
    }

    [Fact]
    public void Patch_schema_follows_list_types()
    {
        PatchSchema schema = DatabaseCrd.Resource().Custom!.PatchSchema;

        Assert.Equal(ListMergeStrategy.ByKey("name"), schema.ListStrategy(["spec", "users"]));
        Assert.Equal(ListMergeStrategy.Primitives, schema.ListStrategy(["spec", "users", "roles"]));
        Assert.Equal(ListMergeStrategy.ByKey("type"), schema.ListStrategy(["status", "conditions"]));
        Assert.Equal(ListMergeStrategy.Replace, schema.ListStrategy(["spec", "tags"]));
        Assert.Equal(ListMergeStrategy.Replace, schema.ListStrategy(["spec", "nothing"]));
        Assert.Equal(ListMergeStrategy.Primitives, schema.ListStrategy(["metadata", "finalizers"]));
    }

    [Fact]
    public void Strategic_merge_merges_list_map_entries_by_key()
    {
        JsonObject live = DatabaseCrd.Object("{'size':'1Gi','users':[{'name':'a','roles':['r1']},{'name':'b'}],'tags':['x','y']}");
        JsonNode patch = Json.Parse("{'spec':{'users':[{'name':'a','roles':['r2']}],'tags':['z']}}")!;

        JsonObject merged = StrategicMergePatch.Apply(live, patch, DatabaseCrd.Resource().Custom!.PatchSchema);

        Json.Equal("{'size':'1Gi','users':[{'name':'a','roles':['r1','r2']},{'name':'b'}],'tags':['z']}", merged["spec"]);
    }

    private static Api.Selectors.SelectableFields KnownSelectableFieldsNamespaced() => Api.Selectors.KnownSelectableFields.Namespaced;
}
