using System.Text.Json.Nodes;
using Orchestrator.Api.Protobuf;

namespace Orchestrator.Api.Tests.Protobuf;

/// <summary>Fields and wire shapes kubectl's generators do not send, built by hand.</summary>
public sealed class KubernetesProtobufSchemaTests
{
    private static ProtoBytes Metadata(ProtoBytes meta) => new ProtoBytes().Message(1, meta);

    [Fact]
    public void ObjectMetaSystemFieldsOwnerReferencesAndTime()
    {
        var meta = new ProtoBytes()
            .String(1, "cm1")
            .String(5, "uid-1")
            .String(6, "42")
            .Varint(7, 2)
            .Message(8, new ProtoBytes().Varint(1, 1704164645).Varint(2, 999)) // 2024-01-02T03:04:05Z
            .Entry(12, "note", "x")
            .Message(13, new ProtoBytes().String(1, "Deployment").String(3, "web").String(4, "u2")
                .String(5, "apps/v1").Varint(6, 1).Varint(7, 0))
            .String(14, "f1")
            .String(14, "f2");

        JsonObject obj = KubernetesProtobuf.Decode(ProtoBytes.Envelope("v1", "ConfigMap", Metadata(meta)));

        Json.Equal(
            """
            {'name':'cm1','uid':'uid-1','resourceVersion':'42','generation':2,'creationTimestamp':'2024-01-02T03:04:05Z',
             'annotations':{'note':'x'},
             'ownerReferences':[{'kind':'Deployment','name':'web','uid':'u2','apiVersion':'apps/v1','controller':true,'blockOwnerDeletion':false}],
             'finalizers':['f1','f2']}
            """,
            obj["metadata"]);
    }

    [Fact]
    public void PointerZeroIsKeptAndBinaryDataIsBase64()
    {
        ProtoBytes raw = Metadata(new ProtoBytes().String(1, "cm1"))
            .Message(3, new ProtoBytes().String(1, "bin").Bytes(2, [0, 1, 2]))
            .Varint(4, 0);

        JsonObject obj = KubernetesProtobuf.Decode(ProtoBytes.Envelope("v1", "ConfigMap", raw));

        Json.Equal("{'bin':'AAEC'}", obj["binaryData"]);
        Json.Equal("false", obj["immutable"]);
    }

    [Fact]
    public void ContainerEnvResourcesAndSelectorExpressions()
    {
        var container = new ProtoBytes()
            .String(1, "c")
            .Message(7, new ProtoBytes().String(1, "A").String(2, "1"))
            .Message(7, new ProtoBytes().String(1, "B").Message(3, new ProtoBytes()
                .Message(4, new ProtoBytes().Message(1, new ProtoBytes().String(1, "s1")).String(2, "k"))))
            .Message(8, new ProtoBytes()
                .Message(1, new ProtoBytes().String(1, "cpu").Message(2, new ProtoBytes().String(1, "500m")))
                .Message(2, new ProtoBytes().String(1, "memory").Message(2, new ProtoBytes().String(1, "1Gi"))));
        var podSpec = new ProtoBytes()
            .Message(2, container)
            .Varint(4, 30)
            .Message(14, new ProtoBytes().Varint(4, 1000).Varint(4, 2000));
        var selector = new ProtoBytes()
            .Message(2, new ProtoBytes().String(1, "tier").String(2, "In").String(3, "a").String(3, "b"));
        var spec = new ProtoBytes()
            .Message(2, selector)
            .Message(3, new ProtoBytes().Message(2, podSpec))
            .Message(4, new ProtoBytes().String(1, "RollingUpdate").Message(2, new ProtoBytes()
                .Message(1, new ProtoBytes().Varint(1, 1).String(3, "25%"))
                .Message(2, new ProtoBytes().Varint(1, 0).Varint(2, 1))));
        ProtoBytes raw = Metadata(new ProtoBytes().String(1, "web")).Message(2, spec);

        JsonObject obj = KubernetesProtobuf.Decode(ProtoBytes.Envelope("apps/v1", "Deployment", raw));

        Json.Equal(
            """
            {'selector':{'matchExpressions':[{'key':'tier','operator':'In','values':['a','b']}]},
             'template':{'spec':{
               'containers':[{'name':'c',
                 'env':[{'name':'A','value':'1'},{'name':'B','valueFrom':{'secretKeyRef':{'name':'s1','key':'k'}}}],
                 'resources':{'limits':{'cpu':'500m'},'requests':{'memory':'1Gi'}}}],
               'terminationGracePeriodSeconds':30,
               'securityContext':{'supplementalGroups':[1000,2000]}}},
             'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':'25%','maxSurge':1}}}
            """,
            obj["spec"]);
    }

    [Fact]
    public void NegativeInt32AndPackedRepeatedInt64()
    {
        // int32 -1 travels as a ten-byte sign-extended varint; 0x0a packs varints 5 and 300.
        ProtoBytes podSpec = new ProtoBytes()
            .Message(2, new ProtoBytes().String(1, "c"))
            .Message(14, new ProtoBytes().Bytes(4, [0x05, 0xac, 0x02]))
            .Varint(25, ulong.MaxValue);
        ProtoBytes raw = Metadata(new ProtoBytes().String(1, "p")).Message(2, podSpec);

        JsonObject obj = KubernetesProtobuf.Decode(ProtoBytes.Envelope("v1", "Pod", raw));

        Json.Equal("[5,300]", obj["spec"]!["securityContext"]!["supplementalGroups"]);
        Json.Equal("-1", obj["spec"]!["priority"]);
    }

    [Fact]
    public void UnknownFieldNumbersAreSkipped()
    {
        ProtoBytes raw = Metadata(new ProtoBytes().String(1, "cm1").String(99, "future").Fixed32(98, 7))
            .Varint(50, 1)
            .Entry(2, "a", "b");

        JsonObject obj = KubernetesProtobuf.Decode(ProtoBytes.Envelope("v1", "ConfigMap", raw));

        Json.Equal("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm1'},'data':{'a':'b'}}", obj);
    }

    [Fact]
    public void NonResourceAttributes()
    {
        ProtoBytes raw = Metadata(new ProtoBytes())
            .Message(2, new ProtoBytes().Message(2, new ProtoBytes().String(1, "/healthz").String(2, "get")));

        JsonObject obj = KubernetesProtobuf.Decode(ProtoBytes.Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", raw));

        Json.Equal("{'nonResourceAttributes':{'path':'/healthz','verb':'get'}}", obj["spec"]);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(2_000_000L, "2ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(-61_000_000_000L, "-1m1s")]
    public void DurationFormatsLikeGo(long nanoseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(nanoseconds));
    }
}
