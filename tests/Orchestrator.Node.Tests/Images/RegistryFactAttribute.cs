using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Tests.Images;

/// <summary>A test needing docker-registry: skipped only when it is missing and ORCHESTRATOR_ALLOW_SKIP=1, otherwise it runs (and fails loudly if missing).</summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        if (TestRegistry.MaySkip)
            Skip = TestRegistry.MissingMessage;
    }
}
