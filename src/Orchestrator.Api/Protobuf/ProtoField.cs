namespace Orchestrator.Api.Protobuf;

/// <summary>
/// One field of a Kubernetes generated.proto message and its JSON name. The static factories keep
/// the schema tables one line per field.
/// </summary>
internal sealed record ProtoField(int Number, string JsonName, FieldKind Kind)
{
    /// <summary>A repeated field; its JSON is an array.</summary>
    public bool Repeated { get; init; }

    /// <summary>
    /// Zero on the wire is a value to keep. The Go marshaller writes every non-pointer scalar, so a
    /// zero there means "unset" and is omitted like omitempty; pointers (*int32 replicas, *bool
    /// immutable) and fields without omitempty are written only when set, so their zero is kept.
    /// </summary>
    public bool KeepZero { get; init; }

    /// <summary>Schema of a <see cref="FieldKind.Message"/> field.</summary>
    public ProtoMessage? Message { get; init; }

    /// <summary>Value of a <see cref="FieldKind.Map"/> entry (field 2); keys are always strings.</summary>
    public ProtoField? MapValue { get; init; }

    /// <summary>An embedded Go struct whose fields JSON flattens into the parent (LocalObjectReference).</summary>
    public bool Inline { get; init; }

    /// <summary>The same field with its zero value kept; see <see cref="KeepZero"/>.</summary>
    public ProtoField Pointer() => this with { KeepZero = true };

    public static ProtoField Str(int number, string json) => new(number, json, FieldKind.String);

    public static ProtoField Strs(int number, string json) => new(number, json, FieldKind.String) { Repeated = true };

    public static ProtoField Bytes(int number, string json) => new(number, json, FieldKind.Bytes);

    public static ProtoField I32(int number, string json) => new(number, json, FieldKind.Int32);

    public static ProtoField I64(int number, string json) => new(number, json, FieldKind.Int64);

    public static ProtoField I64s(int number, string json) => new(number, json, FieldKind.Int64) { Repeated = true };

    public static ProtoField Bool(int number, string json) => new(number, json, FieldKind.Bool);

    public static ProtoField Msg(int number, string json, ProtoMessage message) =>
        new(number, json, FieldKind.Message) { Message = message };

    public static ProtoField Msgs(int number, string json, ProtoMessage message) =>
        new(number, json, FieldKind.Message) { Message = message, Repeated = true };

    public static ProtoField Embedded(int number, ProtoMessage message) =>
        new(number, "", FieldKind.Message) { Message = message, Inline = true };

    public static ProtoField StrMap(int number, string json) => Map(number, json, Str(2, "value"));

    public static ProtoField BytesMap(int number, string json) => Map(number, json, Bytes(2, "value"));

    public static ProtoField QuantityMap(int number, string json) => Map(number, json, Quantity(2, "value"));

    public static ProtoField Map(int number, string json, ProtoField value) =>
        new(number, json, FieldKind.Map) { MapValue = value };

    public static ProtoField IntStr(int number, string json) => new(number, json, FieldKind.IntOrString);

    public static ProtoField Quantity(int number, string json) => new(number, json, FieldKind.Quantity);

    public static ProtoField Time(int number, string json) => new(number, json, FieldKind.Time);

    public static ProtoField Duration(int number, string json) => new(number, json, FieldKind.Duration);
}
