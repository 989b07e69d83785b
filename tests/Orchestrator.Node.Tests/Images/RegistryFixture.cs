using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Tests.Images;

/// <summary>One docker-registry for a test class (starting one takes about a second); not started when its tests are skipped.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private TestRegistry? registry;

    public TestRegistry Registry => registry ?? throw new InvalidOperationException("the registry did not start");

    public async Task InitializeAsync()
    {
        registry = await TestRegistry.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (registry is not null)
            await registry.DisposeAsync();
    }
}
