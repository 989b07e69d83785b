using System.Text.Json.Nodes;
using Orchestrator.Api.Protobuf;

namespace Orchestrator.Api.Tests.Protobuf;

/// <summary>The request bodies kubectl 1.32 sent, captured by Fixtures/capture.py.</summary>
internal static class KubectlFixtures
{
    public static byte[] Bytes(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Protobuf", "Fixtures", name + ".pb"));

    public static JsonObject Decode(string name) => KubernetesProtobuf.Decode(Bytes(name));
}
