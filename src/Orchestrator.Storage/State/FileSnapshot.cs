using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace Orchestrator.Storage.State;

/// <summary>
/// A finished snapshot file handed to the WAL. The WAL streams it to followers that are behind the
/// truncated log (DotNext documents ISnapshot as not meant for users, but it is the only way to give
/// an external durable state machine a snapshot of its own).
/// </summary>
internal sealed class FileSnapshot(string path, long index, long term) : ISnapshot
{
    public string Path { get; } = path;

    public long Index { get; } = index;

    public long Term { get; } = term;

    public DateTimeOffset Timestamp { get; } = File.GetLastWriteTimeUtc(path);

    public long? Length => new FileInfo(Path).Length;

    public bool IsReusable => true;

    public async ValueTask WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        where TWriter : IAsyncBinaryWriter
    {
        await using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        await writer.CopyFromAsync(file, token: token).ConfigureAwait(false);
    }
}
