namespace Orchestrator.Api.Protobuf;

/// <summary>How a field is carried on the wire and written as JSON.</summary>
internal enum FieldKind
{
    /// <summary>Length-delimited UTF-8 → JSON string.</summary>
    String,

    /// <summary>Length-delimited []byte → base64 JSON string, as encoding/json writes []byte.</summary>
    Bytes,

    /// <summary>Varint → JSON number (two's complement for negatives).</summary>
    Int32,

    Int64,

    Bool,

    /// <summary>A nested message described by <see cref="ProtoField.Message"/>.</summary>
    Message,

    /// <summary>Repeated entry messages {1 key, 2 value} → JSON object; value per <see cref="ProtoField.MapValue"/>.</summary>
    Map,

    /// <summary>intstr.IntOrString {1 type, 2 intVal, 3 strVal} → number or string.</summary>
    IntOrString,

    /// <summary>resource.Quantity {1 string} → its string.</summary>
    Quantity,

    /// <summary>metav1.Time {1 seconds, 2 nanos} → RFC 3339 at second precision, as metav1.Time marshals.</summary>
    Time,

    /// <summary>metav1.Duration {1 nanoseconds} → Go duration string such as "1h0m0s".</summary>
    Duration,

    /// <summary>A message {1 repeated string} that marshals as a bare array (authentication ExtraValue).</summary>
    StringList,
}
