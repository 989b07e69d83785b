using System.Text.RegularExpressions;
using Orchestrator.Api.Registry;
using Xunit;

namespace Orchestrator.Server.Tests.Resources;

/// <summary>The generic store and REST path know no kind: what differs per kind lives in strategies and subresource REST objects.</summary>
public sealed class GenericStoreTests
{
    /// <summary>The files of the one generic path, relative to src/Orchestrator.Server.</summary>
    private static readonly string[] GenericFiles =
    [
        "Resources/ResourceStore.cs", "Resources/ResourceStore.Read.cs", "Resources/ResourceStore.Write.cs",
        "Resources/ResourceStore.Delete.cs", "Resources/ResourceStore.Patch.cs", "Resources/ResourceStores.cs",
        "Resources/ObjectStore.cs", "Resources/ListOptions.cs", "Resources/DeleteOptions.cs", "Resources/WriteContext.cs",
        "Resources/Strategies/ResourceStrategy.cs",
        "Http/Rest/ResourceHandler.cs", "Http/Rest/ResourceHandler.Read.cs", "Http/Rest/ResourceHandler.Write.cs",
        "Http/Rest/ResourceHandler.Delete.cs", "Http/Rest/ResourceHandler.Watch.cs", "Http/Rest/RestRequest.cs",
        "Http/Rest/StatusRest.cs", "Http/Rest/ScaleRest.cs", "Http/Rendering.cs", "Http/ApiDispatcher.cs",
    ];

    public static TheoryData<string> Files() => [.. GenericFiles];

    [Theory]
    [MemberData(nameof(Files))]
    public void Generic_code_compares_no_kind_resource_or_group_name(string file)
    {
        var found = NamesIn(File.ReadAllText(Path.Combine(ServerSource(), file)));

        Assert.True(found.Count == 0, $"{file} names kinds, resources or groups: {string.Join(", ", found)}");
    }

    [Fact]
    public void The_check_finds_kind_resource_and_group_literals()
    {
        Assert.Equal(["Pod", "deployments", "apps"], NamesIn("if (kind == \"Pod\" || plural is \"deployments\" && group == \"apps\") x = \"other\";"));
    }

    /// <summary>String literals in <paramref name="source"/> that are a built-in kind, resource or group name.</summary>
    private static List<string> NamesIn(string source)
    {
        var names = BuiltInResources.All.Concat(BuiltInResources.Metrics)
            .SelectMany(r => new[] { r.Kind, r.Plural, r.Group })
            .Where(n => n.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        return [.. Regex.Matches(source, "\"([^\"\\\\]*)\"").Select(m => m.Groups[1].Value).Where(names.Contains).Distinct()];
    }

    private static string ServerSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Orchestrator.Server");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("src/Orchestrator.Server not found above the test's directory");
    }
}
