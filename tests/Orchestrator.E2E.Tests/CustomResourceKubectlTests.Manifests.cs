namespace Orchestrator.E2E.Tests;

public sealed partial class CustomResourceKubectlTests
{
    /// <summary>databases.example.com: spec.size and spec.version strings, short name db.</summary>
    private const string SimpleDefinition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: databases.example.com
        spec:
          group: example.com
          scope: Namespaced
          names:
            plural: databases
            singular: database
            kind: Database
            shortNames: [db]
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: string}
                      version: {type: string}
        """;

    /// <summary>The same CRD, stricter: a size pattern, a version enum, bounded replicas, a status subresource and printer columns.</summary>
    private const string StrictDefinition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: databases.example.com
        spec:
          group: example.com
          scope: Namespaced
          names:
            plural: databases
            singular: database
            kind: Database
            shortNames: [db]
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            additionalPrinterColumns:
            - {name: Size, type: string, jsonPath: .spec.size}
            - {name: Version, type: string, jsonPath: .spec.version}
            - {name: Replicas, type: integer, jsonPath: .spec.replicas}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size:
                        type: string
                        pattern: '^[0-9]+(Mi|Gi|Ti)$'
                      version:
                        type: string
                        enum: ["13.0", "14.5", "15.1"]
                      replicas:
                        type: integer
                        minimum: 1
                        maximum: 5
                  status:
                    type: object
                    properties:
                      phase: {type: string}
        """;

    private static string Database(string name, string size, string version, int? replicas = null) => $"""
        apiVersion: example.com/v1
        kind: Database
        metadata:
          name: {name}
        spec:
          size: {size}
          version: "{version}"
        {(replicas is { } r ? $"  replicas: {r}" : "")}
        """;
}
