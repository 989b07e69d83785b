using Orchestrator.Client;
using Orchestrator.Testing;
using Xunit;

namespace Orchestrator.Node.Agent.Tests;

/// <summary>`kubectl cp` both ways: exec with tar in the container, stdin closed with the v5 close signal.</summary>
[Collection(AgentCollection.Name)]
public sealed class CopyTests(AgentFixture fixture)
{
    private Kubectl Kubectl => Kubectl.For(fixture.Cluster);

    [Fact]
    public async Task Cp_round_trips_a_file_and_a_directory_into_and_out_of_a_pod()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.Client.CreateAsync(ApiResource.Pods, ns, fixture.Pod("box", "sleep 3600"));
        await fixture.WaitPodAsync(ns, "box", p => p.Str("status", "phase") == "Running");
        var local = Directory.CreateTempSubdirectory("orch-cp-").FullName;
        try
        {
            // 300 KiB of varied bytes: more than one exec message, binary-safe.
            var content = new byte[300 * 1024];
            new Random(42).NextBytes(content);
            await File.WriteAllBytesAsync(Path.Combine(local, "data.bin"), content);
            Directory.CreateDirectory(Path.Combine(local, "tree", "sub"));
            await File.WriteAllTextAsync(Path.Combine(local, "tree", "sub", "note.txt"), "a note\n");

            for (var i = 0; i < fixture.Cluster.Replicas.Count; i++)
            {
                var context = fixture.Cluster.ContextOf(fixture.Cluster.Replicas[i]);
                var into = await Kubectl.RunAsync(context, ["cp", Path.Combine(local, "data.bin"), $"{ns}/box:/tmp/data-{i}.bin"], timeout: TimeSpan.FromSeconds(60));
                Assert.True(into.Succeeded, into.ToString());
                var sum = await Kubectl.RunAsync(context, ["exec", "-n", ns, "box", "--", "wc", "-c", $"/tmp/data-{i}.bin"], timeout: TimeSpan.FromSeconds(30));
                Assert.StartsWith((300 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), sum.Output.Trim());

                var back = Path.Combine(local, $"back-{i}.bin");
                var outOf = await Kubectl.RunAsync(context, ["cp", $"{ns}/box:/tmp/data-{i}.bin", back], timeout: TimeSpan.FromSeconds(60));
                Assert.True(outOf.Succeeded, outOf.ToString());
                Assert.Equal(content, await File.ReadAllBytesAsync(back));
            }

            var treeIn = await Kubectl.RunAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[0]), ["cp", Path.Combine(local, "tree"), $"{ns}/box:/tmp/tree"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(treeIn.Succeeded, treeIn.ToString());
            var treeOut = await Kubectl.RunAsync(fixture.Cluster.ContextOf(fixture.Cluster.Replicas[1]), ["cp", $"{ns}/box:/tmp/tree", Path.Combine(local, "tree-back")], timeout: TimeSpan.FromSeconds(60));
            Assert.True(treeOut.Succeeded, treeOut.ToString());
            Assert.Equal("a note\n", await File.ReadAllTextAsync(Path.Combine(local, "tree-back", "sub", "note.txt")));
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }
}
