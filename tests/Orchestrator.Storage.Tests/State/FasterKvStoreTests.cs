using Orchestrator.Storage.State;
using Xunit;

namespace Orchestrator.Storage.Tests.State;

public sealed class FasterKvStoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "faster-" + Guid.NewGuid().ToString("N"));
    private static readonly FasterOptions Small = new() { IndexSizeBytes = 1 << 16, MemorySizeBits = 22 };

    [Fact]
    public async Task ACheckpointedStoreReopensWithItsDataAndWithoutDeletedKeys()
    {
        using (var store = FasterKvStore.Open(directory, Small))
        {
            for (var i = 0; i < 100; i++)
                store.Upsert($"/k/{i}", BitConverter.GetBytes(i));
            store.Upsert("/k/7", "seven"u8);
            store.Delete("/k/8");
            await store.CheckpointAsync(CancellationToken.None);
            store.Upsert("/k/after-checkpoint", "lost"u8); // not checkpointed: gone after reopen, as after a crash
        }
        using (var store = FasterKvStore.Open(directory, Small))
        {
            Assert.Equal("seven"u8.ToArray(), store.Read("/k/7"));
            Assert.Equal(BitConverter.GetBytes(42), store.Read("/k/42"));
            Assert.Null(store.Read("/k/8"));
            Assert.Null(store.Read("/k/after-checkpoint"));
            var live = store.ScanLive();
            Assert.Equal(99, live.Count);
            Assert.Equal("seven"u8.ToArray(), live["/k/7"]);
        }
    }

    [Fact]
    public async Task AScanUpToTheCheckpointTailSeesTheCheckpointedStateWhileWritesGoOn()
    {
        using var store = FasterKvStore.Open(directory, Small);
        for (var i = 0; i < 300; i++)
            store.Upsert($"/k/{i}", BitConverter.GetBytes(i));
        store.Delete("/k/1");
        await store.CheckpointAsync(CancellationToken.None);
        var until = store.TailAddress;

        // Writes after the checkpoint: updates, a delete, a re-create and a new key, with the scan running beside them.
        var scan = Task.Run(() => store.ScanLive(until));
        for (var i = 0; i < 300; i += 3)
            store.Upsert($"/k/{i}", "changed"u8);
        store.Delete("/k/2");
        store.Upsert("/k/1", "back"u8);
        store.Upsert("/k/new", "new"u8);
        var live = await scan;

        Assert.Equal(299, live.Count);
        Assert.Equal(BitConverter.GetBytes(0), live["/k/0"]);
        Assert.Equal(BitConverter.GetBytes(2), live["/k/2"]);
        Assert.False(live.ContainsKey("/k/1"));
        Assert.False(live.ContainsKey("/k/new"));
        Assert.Equal(300, store.ScanLive().Count); // the whole log: the writes after it too
    }

    [Fact]
    public void RefusesToOpenWithAnotherPageSize()
    {
        using (FasterKvStore.Open(directory, Small))
        {
        }
        var error = Assert.Throws<InvalidOperationException>(() => FasterKvStore.Open(directory, Small with { PageSizeBits = 20 }));
        Assert.Contains("refusing", error.Message);
    }

    [Fact]
    public async Task CompactionKeepsTheLatestValueOfEveryLiveKey()
    {
        using var store = FasterKvStore.Open(directory, Small);
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 200; i++)
                store.Upsert($"/k/{i}", new byte[1000 + round]);
            await store.CheckpointAsync(CancellationToken.None);
        }
        store.Delete("/k/0");
        await store.CheckpointAsync(CancellationToken.None);
        store.Compact();
        Assert.Null(store.Read("/k/0"));
        Assert.Equal(1004, store.Read("/k/199")!.Length);
        Assert.Equal(199, store.ScanLive().Count);
    }

    public void Dispose() => FasterKvStore.Destroy(directory);
}
