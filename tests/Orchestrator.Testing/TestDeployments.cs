using System.Text.Json.Nodes;

namespace Orchestrator.Testing;

/// <summary>The plainest Deployment: <paramref name="replicas"/> pods of one busybox container, labeled app=NAME.</summary>
public static class TestDeployments
{
    public static JsonObject Busybox(string name, int replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox" }),
                },
            },
        },
    };
}
