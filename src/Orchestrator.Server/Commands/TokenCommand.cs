using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Server.Security;
using Orchestrator.Server.Security.Joining;

namespace Orchestrator.Server.Commands;

/// <summary>
/// `orchestrator token create`: a bootstrap token that lets one machine join, as `kubeadm token create
/// --print-join-command`. For a replica the token unlocks the cluster's PKI; with --node NAME it unlocks a kubeconfig
/// whose certificate names that node (system:node:NAME in system:nodes). Prints the `orchestrator join` command.
/// </summary>
public static class TokenCommand
{
    private static readonly ApiResource Roles = new("rbac.authorization.k8s.io", "v1", "roles", true);
    private static readonly ApiResource RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", true);

    public static Command Create()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "An administrator's kubeconfig.", DefaultValueFactory = _ => "/etc/orchestrator/admin.conf" };
        var pki = new Option<string>("--pki") { Description = "The cluster's PKI directory.", DefaultValueFactory = _ => "/var/lib/orchestrator/pki" };
        var node = new Option<string?>("--node") { Description = "Make the token for this node (its kubeconfig) instead of a replica (the PKI)." };
        var ttl = new Option<double>("--ttl-hours") { Description = "Hours until the token expires.", DefaultValueFactory = _ => 24 };
        var servers = new Option<string[]>("--server")
        {
            Description = "API server URLs the joining machine is given (repeatable; default: the kubeconfig's).",
            AllowMultipleArgumentsPerToken = true,
        };
        var given = new Option<string?>("--token") { Description = "Use this token (ID.SECRET, e.g. chosen ahead by a provisioner) instead of a random one." };
        var create = new Command("create", "Create a bootstrap token for one replica or node and print its join command.") { kubeconfig, pki, node, ttl, servers, given };
        create.SetAction(async (result, token) =>
        {
            using var authority = ClusterPki.Load(Path.GetFullPath(result.GetValue(pki)!));
            using var client = await KubeClient.FromKubeconfigAsync(result.GetValue(kubeconfig)!, null, new KubeClientOptions { UserAgent = "orchestrator-token/1.0" }, token);
            var serverList = result.GetValue(servers) is { Length: > 0 } urls ? urls.Select(s => new Uri(s)).ToList() : [client.Server];
            var nodeName = result.GetValue(node);
            await PublishClusterInfoAsync(client, authority, serverList, token);

            var bootstrap = BootstrapToken.Generate();
            if (result.GetValue(given) is { } chosen)
            {
                if (BootstrapToken.Parse(chosen) is not { } parsed)
                {
                    Console.Error.WriteLine("--token: not a bootstrap token (6 and 16 characters of [a-z0-9], joined by a dot).");
                    return 2;
                }
                bootstrap = parsed;
            }
            var expires = DateTimeOffset.UtcNow.AddHours(Math.Max(0.01, result.GetValue(ttl)));
            var tokenSecret = await client.CreateAsync(ApiResource.Secrets, BootstrapToken.SecretNamespace,
                bootstrap.ToSecret(expires, nodeName is null ? "joins a replica" : $"joins node {nodeName}"), token: token);
            // Everything else made for this token is owned by its Secret: deleting the token (or the token cleaner) removes it.
            var owner = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Secret", ["name"] = bootstrap.SecretName, ["uid"] = tokenSecret["metadata"]!["uid"]!.GetValue<string>(),
            });
            var bundle = nodeName is null ? ReplicaBundle(Path.GetFullPath(result.GetValue(pki)!)) : NodeBundle(authority, nodeName, serverList);
            var bundleName = JoinBundle.SecretName(bootstrap);
            await client.CreateAsync(ApiResource.Secrets, BootstrapToken.SecretNamespace, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = bundleName, ["ownerReferences"] = owner.DeepClone() },
                ["type"] = "Opaque",
                ["data"] = new JsonObject { [JoinBundle.DataKey] = Convert.ToBase64String(bundle.Seal(bootstrap)) },
            }, token: token);
            await client.CreateAsync(Roles, BootstrapToken.SecretNamespace, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = bundleName, ["ownerReferences"] = owner.DeepClone() },
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("secrets"),
                    ["resourceNames"] = new JsonArray(bundleName), ["verbs"] = new JsonArray("get"),
                }),
            }, token: token);
            await client.CreateAsync(RoleBindings, BootstrapToken.SecretNamespace, Binding(bundleName, "User", bootstrap.UserName, owner), token: token);

            Console.WriteLine($"orchestrator join --server {serverList[0].ToString().TrimEnd('/')} --token {bootstrap} --ca-cert-hash {ClusterInfo.CaHash(authority.Authority)}");
            return 0;
        });
        var generate = new Command("generate", "Print a random bootstrap token (to choose one ahead, as a provisioner does).");
        generate.SetAction(_ =>
        {
            Console.WriteLine(BootstrapToken.Generate());
            return 0;
        });
        return new Command("token", "Bootstrap tokens that let machines join.") { create, generate };
    }

    /// <summary>cluster-info with the CA and servers, readable by anyone (as kubeadm's bootstrap-signer role).</summary>
    private static async Task PublishClusterInfoAsync(KubeClient client, ClusterPki authority, IReadOnlyList<Uri> servers, CancellationToken token)
    {
        var info = ClusterInfo.ConfigMap(authority.AuthorityPem, servers);
        try
        {
            await client.CreateAsync(ApiResource.ConfigMaps, ClusterInfo.Namespace, info, token: token);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            var current = await client.GetAsync(ApiResource.ConfigMaps, ClusterInfo.Namespace, ClusterInfo.Name, token);
            current["data"] = info["data"]!.DeepClone();
            await client.UpdateAsync(ApiResource.ConfigMaps, current, token: token);
        }
        const string reader = "system:orchestrator:cluster-info-reader";
        await CreateIfAbsentAsync(client, Roles, ClusterInfo.Namespace, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = reader },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("configmaps"),
                ["resourceNames"] = new JsonArray(ClusterInfo.Name), ["verbs"] = new JsonArray("get"),
            }),
        }, token);
        await CreateIfAbsentAsync(client, RoleBindings, ClusterInfo.Namespace, Binding(reader, "User", UserInfo.AnonymousName, null), token);
    }

    private static JsonObject Binding(string role, string kind, string subject, JsonArray? owner)
    {
        var metadata = new JsonObject { ["name"] = role };
        if (owner is not null)
            metadata["ownerReferences"] = owner.DeepClone();
        return new JsonObject
        {
            ["metadata"] = metadata,
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = role },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = kind, ["name"] = subject }),
        };
    }

    private static async Task CreateIfAbsentAsync(KubeClient client, ApiResource resource, string ns, JsonObject obj, CancellationToken token)
    {
        try
        {
            await client.CreateAsync(resource, ns, obj, token: token);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
        }
    }

    /// <summary>Every file of the PKI directory: the CA, the service-account signing key, the encryption config.</summary>
    private static JoinBundle ReplicaBundle(string directory) =>
        new(JoinBundle.ReplicaKind, Directory.GetFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText));

    private static JoinBundle NodeBundle(ClusterPki authority, string nodeName, IReadOnlyList<Uri> servers)
    {
        var scratch = Directory.CreateTempSubdirectory("orchestrator-join-");
        try
        {
            var path = Path.Combine(scratch.FullName, "kubeconfig");
            KubeconfigFile.Write(path, servers, authority, "system:node:" + nodeName, [Security.Authorization.Rbac.DefaultPolicy.NodesGroup]);
            return new JoinBundle(JoinBundle.NodeKind, new Dictionary<string, string> { ["kubeconfig"] = File.ReadAllText(path, Encoding.UTF8) });
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
