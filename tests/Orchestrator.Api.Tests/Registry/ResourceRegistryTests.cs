using Orchestrator.Api.Registry;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Tests.Registry;

public sealed class ResourceRegistryTests
{
    private static ResourceDefinition Crd(string plural = "widgets", string kind = "Widget", string version = "v1", string[]? shortNames = null) => new()
    {
        Group = "example.com",
        Version = version,
        Kind = kind,
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Namespaced = true,
        ShortNames = [.. shortNames ?? ["wd"]],
        Categories = ["all"],
    };

    [Fact]
    public void Registering_swaps_in_a_new_snapshot_and_keeps_old_ones_intact()
    {
        var registry = ResourceRegistry.CreateWithBuiltIns();
        RegistrySnapshot before = registry.Snapshot;

        registry.Register(Crd());

        Assert.Null(before.Find("example.com", "v1", "widgets"));
        Assert.NotNull(registry.Find("example.com", "v1", "widgets"));
        Assert.Equal(before.Generation + 1, registry.Snapshot.Generation);
        Assert.Contains(registry.Snapshot.FindByCategory("all"), r => r.Plural == "widgets");
        Assert.Equal("widgets", Assert.Single(registry.Snapshot.FindByShortName("wd")).Plural);
    }

    [Fact]
    public void Registering_the_same_resource_replaces_it()
    {
        var registry = new ResourceRegistry([Crd()]);

        registry.Register(Crd(shortNames: ["w"]));

        Assert.Single(registry.Snapshot.Resources);
        Assert.Empty(registry.Snapshot.FindByShortName("wd"));
        Assert.Single(registry.Snapshot.FindByShortName("w"));
    }

    [Fact]
    public void Unregistering_removes_every_index_entry()
    {
        var registry = new ResourceRegistry([Crd()]);

        Assert.True(registry.Unregister(new GroupVersionResource("example.com", "v1", "widgets")));
        Assert.False(registry.Unregister(new GroupVersionResource("example.com", "v1", "widgets")));

        Assert.Empty(registry.Snapshot.Resources);
        Assert.Null(registry.FindByKind(new GroupVersionKind("example.com", "v1", "Widget")));
        Assert.Empty(registry.Snapshot.FindByShortName("wd"));
    }

    [Fact]
    public void A_kind_served_by_another_plural_is_rejected()
    {
        var registry = new ResourceRegistry([Crd()]);

        Assert.Throws<ArgumentException>(() => registry.Register(Crd(plural: "gadgets", kind: "Widget")));
    }

    [Theory]
    [InlineData("", "Widget", "widgets", "widget")]
    [InlineData("v1", "", "widgets", "widget")]
    [InlineData("v1", "Widget", "Widgets", "widget")]
    [InlineData("v1", "Widget", "widgets", "")]
    public void Incomplete_definitions_are_rejected(string version, string kind, string plural, string singular)
    {
        var registry = new ResourceRegistry([]);
        var bad = new ResourceDefinition { Group = "g", Version = version, Kind = kind, Plural = plural, Singular = singular, Namespaced = true };

        Assert.Throws<ArgumentException>(() => registry.Register(bad));
    }

    [Fact]
    public void Short_names_may_be_shared_across_groups()
    {
        var registry = new ResourceRegistry([Crd(), Crd(plural: "wands", kind: "Wand")]);

        Assert.Equal(2, registry.Snapshot.FindByShortName("wd").Length);
        Assert.Equal(2, registry.Snapshot.FindByKind("Widget").Length + registry.Snapshot.FindByKind("Wand").Length);
    }

    [Fact]
    public void Concurrent_registrations_are_all_kept()
    {
        var registry = ResourceRegistry.CreateWithBuiltIns();
        int builtIns = registry.Snapshot.Resources.Length;

        Parallel.For(0, 200, i => registry.Register(Crd(plural: $"things{i}", kind: $"Thing{i}", shortNames: [])));

        Assert.Equal(builtIns + 200, registry.Snapshot.Resources.Length);
        Assert.Equal(200, registry.Snapshot.Generation - ResourceRegistry.CreateWithBuiltIns().Snapshot.Generation);
        Assert.All(Enumerable.Range(0, 200), i => Assert.NotNull(registry.Find("example.com", "v1", $"things{i}")));
    }
}
