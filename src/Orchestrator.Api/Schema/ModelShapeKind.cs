namespace Orchestrator.Api.Schema;

/// <summary>What a k8s.Models property holds, in OpenAPI terms.</summary>
public enum ModelShapeKind
{
    /// <summary>Another k8s.Models class: a named schema.</summary>
    Model,
    Array,
    Map,
    String,
    Boolean,
    Int32,
    Int64,
    Double,
    Bytes,
    Time,
    Quantity,
    IntOrString,

    /// <summary>Free-form JSON (RawExtension, JSON): any value, any fields.</summary>
    Any,
}
