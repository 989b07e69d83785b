using Orchestrator.Storage.Commands;
using Xunit;

namespace Orchestrator.Storage.Tests.Commands;

public sealed class StoreCommandTests
{
    public static TheoryData<StoreCommand> Commands => new()
    {
        StoreCommand.Create("/registry/core/pods/default/p", "{\"a\":1}"u8.ToArray()),
        StoreCommand.Update("/registry/apps/deployments/ns/d", new byte[1 << 20], expectedRevision: 42),
        StoreCommand.Delete("/registry/core/namespaces/ünïcode", expectedRevision: 7),
        StoreCommand.Update("/k", ReadOnlyMemory<byte>.Empty),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void EncodesAndDecodesEveryField(StoreCommand command)
    {
        var decoded = StoreCommand.Decode(command.Encode());
        Assert.Equal(command.Id, decoded.Id);
        Assert.Equal(command.Type, decoded.Type);
        Assert.Equal(command.Key, decoded.Key);
        Assert.Equal(command.ExpectedRevision, decoded.ExpectedRevision);
        Assert.Equal(command.Value.ToArray(), decoded.Value.ToArray());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 9, 1, 2, 3 })]
    public void RefusesBytesThatAreNotACommand(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => StoreCommand.Decode(bytes));
}
