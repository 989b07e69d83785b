using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.Chaos.Nemesis;
using Orchestrator.Chaos.Proxy;
using Orchestrator.Testing;

namespace Orchestrator.Chaos.Tests;

/// <summary>
/// The stale read the long chaos profile found, made to happen every time. A leader fresh from an election does
/// not know that the last entries of the previous term are committed until its own first entry commits (Raft §8).
/// Here the old leader dies while the voter has not yet heard of its last commits, and the new leader's first entry
/// cannot commit before the third replica, paused through the whole write phase, has caught up over a slow link.
/// That replica knows the new leader from the first append; a read barrier that took the new leader's commit index
/// as it stood answered from before the last acknowledged writes.
/// </summary>
public sealed class LeaderLossReadTests
{
    private const string Namespace = "default";

    [Fact]
    public async Task AFollowerCatchingUpUnderANewLeaderReadsEveryWriteTheOldLeaderAcknowledged()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var token = timeout.Token;
        await using var network = await ChaosNetwork.CreateAsync(3, token);
        await using var proxies = await ProxyServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), token);
        PeerLinks links = null!;
        await using var cluster = await ApiCluster.StartAsync(3, placement: network.Placement,
            beforeStart: async c => links = await PeerLinks.RouteAsync(proxies, network, c, token));
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Replicas.Where(r => r != leader).ToList();
        var (voter, lagging) = (followers[0], followers[1]);

        Slow(links.Link(leader.Ordinal, voter.Ordinal, "raft"));
        lagging.Pause();
        using var writes = cluster.CreateHttpClient(leader);
        var acknowledged = new List<string>();
        TaskCompletionSource? armed = null;
        var load = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; !token.IsCancellationRequested; i++)
            {
                var name = $"w{writer}-{i}";
                try
                {
                    using var response = await writes.PostAsJsonAsync($"/api/v1/namespaces/{Namespace}/configmaps",
                        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name } }, token);
                    if (response.StatusCode != HttpStatusCode.Created)
                        return;
                    lock (acknowledged)
                        acknowledged.Add(name);
                    if (Volatile.Read(ref armed) is { } ack)
                        ack.TrySetResult();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return;
                }
            }
        }, token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2), token);
        var nextAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref armed, nextAck);
        await nextAck.Task.WaitAsync(token);
        // Right after an acknowledgement the voter freezes: it has acknowledged the entries and not yet heard that
        // they committed (that news is 100 ms away on its slow link). The leader dies; what it had sent the voter
        // since is dropped with its links.
        voter.Pause();
        await Task.Delay(30, token);
        leader.Kill();
        foreach (var link in links.Of(leader.Ordinal))
            link.Disable();
        List<string> expected;
        lock (acknowledged)
            expected = [.. acknowledged];
        await Task.WhenAll(load);
        Assert.True(expected.Count > 8, $"only {expected.Count} writes were acknowledged before the leader died");

        // The new leader (the voter: the lagging replica's log is shorter) reaches the lagging one over a slow link.
        links.RemoveAllToxics();
        Slow(links.Link(voter.Ordinal, lagging.Ordinal, "raft"));
        voter.Resume();
        lagging.Resume();
        using var reads = cluster.CreateHttpClient(lagging);
        var answers = 0;
        var firstAnswer = (DateTime?)null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (firstAnswer is null || DateTime.UtcNow - firstAnswer < TimeSpan.FromSeconds(2)))
        {
            JsonNode? list;
            try
            {
                using var response = await reads.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps", token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    await Task.Delay(5, token);
                    continue;
                }
                list = await response.Content.ReadFromJsonAsync<JsonNode>(token);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5, token);
                continue;
            }
            firstAnswer ??= DateTime.UtcNow;
            answers++;
            var names = list!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToHashSet();
            var missing = expected.Where(n => !names.Contains(n)).ToList();
            Assert.True(missing.Count == 0,
                $"read {answers} on replica {lagging.Ordinal} misses {missing.Count} of {expected.Count} acknowledged creates, e.g. {string.Join(", ", missing.Take(5))}");
        }
        Assert.True(answers > 0, $"replica {lagging.Ordinal} answered no read\n{lagging.Output}");
    }

    /// <summary>100 ms on everything sent over the link's connections (in the direction they were opened).</summary>
    private static void Slow(ToxicProxy link) =>
        link.AddToxic(Toxic.FromJson(new JsonObject
        {
            ["type"] = "latency", ["stream"] = "upstream", ["attributes"] = new JsonObject { ["latency"] = 100, ["jitter"] = 0 },
        }));
}
