using Orchestrator.Api.Errors;
using Orchestrator.Api.Protobuf;

namespace Orchestrator.Api.Tests.Protobuf;

public sealed class KubernetesProtobufErrorTests
{
    [Fact]
    public void BadMagicIsBadRequest()
    {
        byte[] body = KubectlFixtures.Bytes("configmap");
        body[0] = (byte)'{';

        ApiException error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(400, error.Status.Code);
        Assert.Equal("BadRequest", error.Status.Reason);
        Assert.Contains("magic", error.Status.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(229)]
    public void TruncatedIsBadRequest(int length)
    {
        byte[] body = KubectlFixtures.Bytes("deployment")[..length];

        ApiException error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(400, error.Status.Code);
    }

    [Fact]
    public void WrongWireTypeIsBadRequest()
    {
        // ConfigMap field 1 (metadata) as a varint.
        byte[] body = ProtoBytes.Envelope("v1", "ConfigMap", new ProtoBytes().Varint(1, 5));

        ApiException error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(400, error.Status.Code);
        Assert.Contains("ConfigMap", error.Status.Message);
    }

    [Fact]
    public void InvalidUtf8IsBadRequest()
    {
        byte[] body = ProtoBytes.Envelope("v1", "ConfigMap", new ProtoBytes().Message(1, new ProtoBytes().Bytes(1, [0xff, 0xfe])));

        ApiException error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(400, error.Status.Code);
    }

    [Fact]
    public void MissingKindIsBadRequest()
    {
        byte[] body = [0x6b, 0x38, 0x73, 0x00];

        ApiException error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(400, error.Status.Code);
    }

    [Fact]
    public void UnknownKindIsUnsupportedMediaType()
    {
        byte[] body = ProtoBytes.Envelope("storage.k8s.io/v1", "StorageClass", new ProtoBytes());

        ApiException error = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(415, error.Status.Code);
        Assert.Equal("UnsupportedMediaType", error.Status.Reason);
        Assert.Equal(
            "protobuf is not supported for kind \"StorageClass\" in \"storage.k8s.io/v1\"; send the object as application/json",
            error.Status.Message);
    }
}
