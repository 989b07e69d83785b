using System.Text.Json.Nodes;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Protobuf.Schemas;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Decodes <c>application/vnd.kubernetes.protobuf</c> request bodies, which kubectl's generator
/// commands send with no JSON fallback, into the object's Kubernetes JSON.
/// </summary>
public static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>"k8s\0": the prefix of every Kubernetes protobuf body.</summary>
    private static ReadOnlySpan<byte> Magic => [0x6b, 0x38, 0x73, 0x00];

    /// <summary>
    /// The body's object as JSON: apiVersion and kind first, then its fields with Go's omitempty
    /// applied. Throws <see cref="ApiException"/> 400 for a malformed body and 415 for a kind this
    /// decoder has no schema for.
    /// </summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw ApiException.BadRequest(
                "the protobuf body does not start with the Kubernetes magic bytes 6b 38 73 00");
        }

        var envelope = UnknownEnvelope.Read(body[Magic.Length..]);
        if (envelope.Kind.Length == 0)
        {
            throw ApiException.BadRequest("the protobuf body does not name its kind (runtime.Unknown typeMeta is empty)");
        }

        if (envelope.ContentEncoding.Length > 0)
        {
            throw ApiException.BadRequest(
                $"the protobuf body has content encoding \"{envelope.ContentEncoding}\"; only unencoded bodies are supported");
        }

        if (!ProtobufKinds.TryGet(envelope.ApiVersion, envelope.Kind, out ProtoMessage? message))
        {
            throw ApiException.UnsupportedMediaType(
                $"protobuf is not supported for kind \"{envelope.Kind}\" in \"{envelope.ApiVersion}\"; send the object as application/json");
        }

        var result = new JsonObject
        {
            ["apiVersion"] = envelope.ApiVersion,
            ["kind"] = envelope.Kind,
        };
        ProtoMessageDecoder.DecodeInto(envelope.Raw, message, result);
        return result;
    }
}
