using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Orchestrator.Server.Resources.Strategies;

/// <summary>
/// kube's ServiceAccount admission for a new pod: unless the pod opts out (automountServiceAccountToken: false) or
/// mounts something at the path itself, it gets a projected volume kube-api-access-XXXXX (a bound token of its service
/// account, the cluster CA from kube-root-ca.crt, its namespace), mounted read-only in every container at
/// /var/run/secrets/kubernetes.io/serviceaccount, where in-cluster clients look.
/// </summary>
public static class ServiceAccountVolume
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>kube's token lifetime for these volumes: an hour plus a little, so it is told apart from one asked for.</summary>
    private const long ExpirationSeconds = 3607;

    /// <summary>The alphabet of kube's generated name suffixes (no vowels, no confusable digits).</summary>
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static void AddTo(JsonObject pod)
    {
        var spec = pod.Obj("spec");
        if (spec is null || spec.Bool("automountServiceAccountToken") == false)
            return;
        var containers = spec.Items("containers").Concat(spec.Items("initContainers")).ToList();
        if (containers.Any(c => c.Items("volumeMounts").Any(m => m.Str("mountPath")?.TrimEnd('/') == MountPath)))
            return;
        var name = "kube-api-access-" + RandomNumberGenerator.GetString(SuffixAlphabet, 5);
        var volumes = spec["volumes"] as JsonArray ?? [];
        spec["volumes"] = volumes;
        volumes.Add(new JsonObject
        {
            ["name"] = name,
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray(
                    new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = ExpirationSeconds, ["path"] = "token" } },
                    new JsonObject
                    {
                        ["configMap"] = new JsonObject
                        {
                            ["name"] = "kube-root-ca.crt",
                            ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                        },
                    },
                    new JsonObject
                    {
                        ["downwardAPI"] = new JsonObject
                        {
                            ["items"] = new JsonArray(new JsonObject
                            {
                                ["path"] = "namespace",
                                ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                            }),
                        },
                    }),
                ["defaultMode"] = 420,
            },
        });
        foreach (var container in containers)
        {
            var mounts = container["volumeMounts"] as JsonArray ?? [];
            container["volumeMounts"] = mounts;
            mounts.Add(new JsonObject { ["name"] = name, ["readOnly"] = true, ["mountPath"] = MountPath });
        }
    }
}
