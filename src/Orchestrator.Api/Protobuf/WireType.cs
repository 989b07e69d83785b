namespace Orchestrator.Api.Protobuf;

/// <summary>Protobuf wire types; groups (3, 4) are deprecated and never produced by Kubernetes.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
