using Orchestrator.Client;

namespace Orchestrator.E2E.Tests;

/// <summary>Manifests and resources of the control-plane tests.</summary>
public static class Workloads
{
    public static readonly ApiResource Deployments = ApiResource.Deployments;
    public static readonly ApiResource Endpoints = new("", "v1", "endpoints", true);

    public static string LoadBalancer(string name, string app) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
        spec:
          type: LoadBalancer
          selector:
            app: {app}
          ports:
          - port: 80
            targetPort: http
        """;

    public static string Budget(string name, string app, int minAvailable) => $"""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: {name}
        spec:
          minAvailable: {minAvailable}
          selector:
            matchLabels:
              app: {app}
        """;
}
