using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Orchestrator.Api.Schema;

/// <summary>
/// The shape of a CLR type used by k8s.Models: a model, a list or map of some element, or a
/// scalar. Shared by the OpenAPI schema builder and strict field validation so both agree.
/// </summary>
/// <param name="Element">The model for <see cref="ModelShapeKind.Model"/>; the element type for arrays and maps.</param>
public sealed record ModelShape(ModelShapeKind Kind, Type? Element = null)
{
    private static readonly Lazy<FrozenDictionary<Type, FrozenDictionary<string, PropertyInfo>>> Properties = new(ScanProperties);

    public static ModelShape Of(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string) || t.IsEnum)
        {
            return new(ModelShapeKind.String);
        }

        if (t == typeof(bool))
        {
            return new(ModelShapeKind.Boolean);
        }

        if (t == typeof(int))
        {
            return new(ModelShapeKind.Int32);
        }

        if (t == typeof(long))
        {
            return new(ModelShapeKind.Int64);
        }

        if (t == typeof(double) || t == typeof(float))
        {
            return new(ModelShapeKind.Double);
        }

        if (t == typeof(byte[]))
        {
            return new(ModelShapeKind.Bytes);
        }

        if (t == typeof(DateTime) || t == typeof(DateTimeOffset))
        {
            return new(ModelShapeKind.Time);
        }

        if (t == typeof(ResourceQuantity))
        {
            return new(ModelShapeKind.Quantity);
        }

        if (t == typeof(IntOrString))
        {
            return new(ModelShapeKind.IntOrString);
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            return new(ModelShapeKind.Map, t.GetGenericArguments()[1]);
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IList<>))
        {
            return new(ModelShapeKind.Array, t.GetGenericArguments()[0]);
        }

        return t.IsClass && t.Namespace == "k8s.Models" && t.Assembly == typeof(V1Pod).Assembly
            ? new(ModelShapeKind.Model, t)
            : new(ModelShapeKind.Any);
    }

    /// <summary>A model's fields by JSON name, in declaration order.</summary>
    public static FrozenDictionary<string, PropertyInfo> FieldsOf(Type model) =>
        Properties.Value.GetValueOrDefault(model) ?? FrozenDictionary<string, PropertyInfo>.Empty;

    /// <summary>A model's fields by JSON name, in declaration order (FrozenDictionary does not keep order).</summary>
    public static IEnumerable<(string Name, PropertyInfo Property)> OrderedFieldsOf(Type model) =>
        JsonFields(model);

    private static FrozenDictionary<Type, FrozenDictionary<string, PropertyInfo>> ScanProperties() =>
        ModelTypes.ModelClasses().ToFrozenDictionary(
            t => t,
            t => JsonFields(t).ToFrozenDictionary(p => p.Name, p => p.Property, StringComparer.Ordinal));

    private static IEnumerable<(string Name, PropertyInfo Property)> JsonFields(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, Property: p))
            .Where(p => p.Name is not null)
            .Select(p => (p.Name!, p.Property));
}
