namespace Orchestrator.E2E.Tests;

/// <summary>Manifests the tests feed to kubectl on stdin.</summary>
public static class Manifests
{
    /// <summary>A deployment labelled app=NAME with one container "main" exposing port 8080 named "http".</summary>
    public static string Deployment(string name, int replicas, string image, string tier = "web", int maxSurge = 1, int maxUnavailable = 0) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          labels:
            app: {name}
            tier: {tier}
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
                    memory: 32Mi
        """;

    public static string ConfigMap(string name, string value) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        data:
          key: "{value}"
        """;
}
