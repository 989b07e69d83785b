using Orchestrator.Client;

namespace Orchestrator.E2E.Tests;

/// <summary>Manifests and resources of the control-plane tests.</summary>
public static class Workloads
{
    public static readonly ApiResource Deployments = ApiResource.Deployments;
    public static readonly ApiResource Endpoints = new("", "v1", "endpoints", true);

    public static string Deployment(string name, int replicas, string image, int maxSurge = 1, int maxUnavailable = 0) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: {replicas}
          strategy:
            type: RollingUpdate
            rollingUpdate:
              maxSurge: {maxSurge}
              maxUnavailable: {maxUnavailable}
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: main
                image: {image}
                ports:
                - name: http
                  containerPort: 8080
                resources:
                  requests:
                    cpu: 100m
                    memory: 64Mi
        """;

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
