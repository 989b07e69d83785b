using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Api.Protobuf;

/// <summary>A message schema: field number → field. Numbers absent here are skipped when decoding.</summary>
internal sealed class ProtoMessage
{
    private readonly FrozenDictionary<int, ProtoField> _fields;

    public ProtoMessage(string name, params ProtoField[] fields)
    {
        Name = name;
        _fields = fields.ToFrozenDictionary(f => f.Number);
    }

    /// <summary>The Go type name, used in error messages.</summary>
    public string Name { get; }

    public bool TryGetField(int number, [NotNullWhen(true)] out ProtoField? field) =>
        _fields.TryGetValue(number, out field);
}
