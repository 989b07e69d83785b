using System.Buffers;
using System.Net;
using System.Text;
using DotNext.Buffers;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace Orchestrator.Storage.Replication;

/// <summary>
/// Cluster membership kept in memory, seeded from configuration at start; changes arrive through the
/// Raft log. Addresses are written as "ip:port" text with a one-byte length.
/// </summary>
internal sealed class EndPointConfigurationStorage : InMemoryClusterConfigurationStorage<EndPoint>
{
    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output)
    {
        var text = Encoding.UTF8.GetBytes(address.ToString()!);
        output.Add(checked((byte)text.Length));
        output.Write(text);
    }

    protected override EndPoint Decode(ref SequenceReader reader)
    {
        var length = reader.ReadByte();
        Span<byte> text = stackalloc byte[length];
        reader.Read(text);
        return IPEndPoint.Parse(Encoding.UTF8.GetString(text));
    }
}
