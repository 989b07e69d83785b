using Orchestrator.Api.Registry;

namespace Orchestrator.Server.Tests.Conformance;

/// <summary>One kind under test: where it is served, what the registry says of it, and its table row.</summary>
public sealed record Target(string Key, string Group, string Version, string Plural, string Kind, bool Namespaced,
    bool HasStatus, bool DeleteCollection, string OtherKind, KindFixture Fixture)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public string Collection(string? ns) => Namespaced ? $"{GroupVersionPath}/namespaces/{ns}/{Plural}" : $"{GroupVersionPath}/{Plural}";

    public string Item(string? ns, string name) => $"{Collection(ns)}/{name}";

    public override string ToString() => Key;
}

/// <summary>The kinds the suite runs: every stored kind of the registry, plus the custom resource case.</summary>
public static class ConformanceKinds
{
    public static string Key(ResourceDefinition definition) =>
        definition.Group.Length == 0 ? $"{definition.Version}/{definition.Plural}" : $"{definition.Group}/{definition.Version}/{definition.Plural}";

    /// <summary>Theory data built from the registry, so a newly registered kind shows up here (and fails without a row).</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var definition in BuiltInResources.All)
                data.Add(Key(definition));
            data.Add(KindTable.Widgets);
            return data;
        }
    }

    public static Target Resolve(string key)
    {
        var fixture = KindTable.Find(key);
        Assert.True(fixture is not null, $"{key} is registered but has no row in {nameof(KindTable)}: add a minimal valid object and a mutation for it");
        if (key == KindTable.Widgets)
            return new(key, WidgetDefinition.Group, "v1", "widgets", "Widget", Namespaced: true, HasStatus: true, DeleteCollection: true, "Gadget", fixture);
        var definition = BuiltInResources.All.Single(d => Key(d) == key);
        var other = BuiltInResources.All.FirstOrDefault(d => d.GroupVersion == definition.GroupVersion && d.Kind != definition.Kind)?.Kind
            ?? definition.Kind + "Other";
        return new(key, definition.Group, definition.Version, definition.Plural, definition.Kind, definition.Namespaced,
            definition.FindSubresource("status") is not null, definition.Supports(Verbs.DeleteCollection), other, fixture);
    }
}
