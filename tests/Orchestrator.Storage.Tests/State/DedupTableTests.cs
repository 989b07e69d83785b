using Orchestrator.Storage.Commands;
using Orchestrator.Storage.State;
using Xunit;

namespace Orchestrator.Storage.Tests.State;

public sealed class DedupTableTests
{
    [Fact]
    public void IdsAreForgottenOnlyAfterTheRetentionWindowOfLogEntries()
    {
        var table = new DedupTable(retainEntries: 10);
        var first = Guid.NewGuid();
        table.Add(first, 5, CommandOutcome.Ok);
        table.Add(Guid.NewGuid(), 14, CommandOutcome.Conflict);
        Assert.True(table.TryGet(first, out var entry));
        Assert.Equal(new DedupTable.Entry(5, CommandOutcome.Ok), entry);

        table.Add(Guid.NewGuid(), 15, CommandOutcome.Ok); // 5 <= 15 - 10: expires
        Assert.False(table.TryGet(first, out _));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public async Task SurvivesAFlushToFasterAndALoadBack()
    {
        var directory = Path.Combine(Path.GetTempPath(), "dedup-" + Guid.NewGuid().ToString("N"));
        try
        {
            var table = new DedupTable(retainEntries: 100);
            var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
            for (var i = 0; i < ids.Count; i++)
                table.Add(ids[i], i + 1, (CommandOutcome)(i % 4));
            using (var store = FasterKvStore.Open(directory, new FasterOptions { IndexSizeBytes = 1 << 16, MemorySizeBits = 22 }))
            {
                table.FlushTo(store);
                await store.CheckpointAsync(CancellationToken.None);
            }
            var loaded = new DedupTable(retainEntries: 100);
            using (var store = FasterKvStore.Open(directory, new FasterOptions { IndexSizeBytes = 1 << 16, MemorySizeBits = 22 }))
            {
                foreach (var (key, value) in store.ScanLive())
                    loaded.Load(key, value);
            }
            loaded.Sort();
            for (var i = 0; i < ids.Count; i++)
            {
                Assert.True(loaded.TryGet(ids[i], out var entry));
                Assert.Equal(new DedupTable.Entry(i + 1, (CommandOutcome)(i % 4)), entry);
            }
        }
        finally
        {
            FasterKvStore.Destroy(directory);
        }
    }
}
