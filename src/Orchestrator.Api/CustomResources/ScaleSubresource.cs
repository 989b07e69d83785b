namespace Orchestrator.Api.CustomResources;

/// <summary>
/// The scale subresource of a CRD version: where the desired and observed replica counts live
/// (JSON paths such as <c>.spec.replicas</c>), and optionally the label selector as a string.
/// </summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath = null);
