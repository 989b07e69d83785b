using System.CommandLine;
using System.Net;
using Orchestrator.Server.Hosting;

namespace Orchestrator.Server.Commands;

/// <summary>`orchestrator server`: runs one replica.</summary>
public static class ServerCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory of this replica.", Required = true };
        var raft = new Option<string>("--raft") { Description = "Raft listen endpoint, e.g. 127.0.0.1:7001.", Required = true };
        var grpc = new Option<string>("--grpc") { Description = "Internal gRPC endpoint, e.g. 127.0.0.1:8001.", Required = true };
        var api = new Option<string>("--api") { Description = "HTTPS endpoint of the Kubernetes API, e.g. 127.0.0.1:6443.", Required = true };
        var pki = new Option<string>("--pki") { Description = "Directory of the cluster CA (ca.crt, ca.key), shared by all replicas; made when absent. Default: DATA/pki." };
        var serviceCidr = new Option<string>("--service-cidr") { Description = "Range of service cluster IPs.", DefaultValueFactory = _ => "10.96.0.0/12" };
        var controllers = new Option<bool>("--controllers") { Description = "Host the controller manager and scheduler (only the lease holder acts).", DefaultValueFactory = _ => true };
        var leaseDuration = new Option<double>("--leader-elect-lease-duration") { Description = "Seconds others wait after the last renewal before taking a control-plane lease.", DefaultValueFactory = _ => 15 };
        var renewDeadline = new Option<double>("--leader-elect-renew-deadline") { Description = "Seconds a leader keeps trying to renew before it stops leading.", DefaultValueFactory = _ => 10 };
        var retryPeriod = new Option<double>("--leader-elect-retry-period") { Description = "Seconds between lease acquire/renew attempts.", DefaultValueFactory = _ => 2 };
        var nodeGrace = new Option<double>("--node-monitor-grace-period") { Description = "Seconds without a node lease renewal before the node turns Ready=Unknown.", DefaultValueFactory = _ => 40 };
        var tolerationSeconds = new Option<double>("--default-toleration-seconds") { Description = "Seconds pods tolerate a not-ready or unreachable node before eviction.", DefaultValueFactory = _ => 300 };
        var lbPool = new Option<string>("--load-balancer-pool") { Description = "Range LoadBalancer services take ingress IPs from.", DefaultValueFactory = _ => "203.0.113.0/24" };
        var peers = new Option<string>("--peers") { Description = "Comma-separated Raft endpoints of all replicas (this one included). Omit with --join." };
        var join = new Option<bool>("--join") { Description = "Start with no members and wait to be added to a running cluster." };
        var snapshotEvery = new Option<long>("--snapshot-every") { Description = "Applied entries between snapshots.", DefaultValueFactory = _ => 50_000 };
        var watchWindow = new Option<int>("--watch-window") { Description = "Recent events kept for watches.", DefaultValueFactory = _ => 100_000 };
        var maxMutating = new Option<int>("--max-mutating-requests-inflight") { Description = "Mutating requests run at once on this replica; more get 429 with Retry-After.", DefaultValueFactory = _ => 200 };
        var maxReadOnly = new Option<int>("--max-requests-inflight") { Description = "Read-only requests run at once on this replica (watches not counted); more get 429.", DefaultValueFactory = _ => 400 };
        var replicationLag = new Option<int>("--max-replication-lag") { Description = "Replication rounds queued per follower before a slow one is left out of a round (fewer: a busy follower trails less; too few: rounds without a majority end the leader's term).", DefaultValueFactory = _ => 16 };
        var apiServerLease = new Option<double>("--apiserver-lease-duration") { Description = "Seconds a replica's identity lease lasts unrenewed; a stopped replica leaves the kubernetes Endpoints within about this long.", DefaultValueFactory = _ => 15 };
        var advertise = new Option<string>("--advertise-address") { Description = "IP address listed for this replica in the kubernetes Endpoints. Default: the --api address, or a host address when that is 0.0.0.0." };
        var tokenFile = new Option<string?>("--token-auth-file") { Description = "Static bearer tokens, CSV lines token,user,uid[,\"group1,group2\"] (as kube-apiserver's)." };
        var oidcIssuer = new Option<string?>("--oidc-issuer-url") { Description = "Accept OpenID Connect ID tokens of this issuer (https; its discovery document and JWKS are fetched)." };
        var oidcClient = new Option<string?>("--oidc-client-id") { Description = "The audience OIDC tokens must carry. Required with --oidc-issuer-url." };
        var oidcUsernameClaim = new Option<string>("--oidc-username-claim") { Description = "The claim naming the user.", DefaultValueFactory = _ => "sub" };
        var oidcUsernamePrefix = new Option<string?>("--oidc-username-prefix") { Description = "Put before OIDC user names; default issuer# unless the claim is email; '-' for none." };
        var oidcGroupsClaim = new Option<string?>("--oidc-groups-claim") { Description = "The claim holding the user's groups (a string or a list)." };
        var oidcGroupsPrefix = new Option<string>("--oidc-groups-prefix") { Description = "Put before OIDC group names.", DefaultValueFactory = _ => "" };
        var oidcCa = new Option<string?>("--oidc-ca-file") { Description = "PEM bundle the issuer's TLS certificate must chain to (default: the system's roots)." };
        var webhookConfig = new Option<string?>("--authentication-token-webhook-config-file") { Description = "kubeconfig-format file naming a TokenReview webhook that authenticates tokens no other authenticator takes." };
        var webhookTtl = new Option<double>("--authentication-token-webhook-cache-ttl") { Description = "Seconds a webhook's yes is cached.", DefaultValueFactory = _ => 120 };
        var encryption = new Option<string?>("--encryption-provider-config") { Description = "EncryptionConfiguration YAML (apiserver.config.k8s.io/v1): resources whose values are stored sealed with AES-GCM; the same file on every replica." };
        var auditLog = new Option<string?>("--audit-log-path") { Description = "Append one audit.k8s.io/v1 Event per request (JSON lines, Metadata level) to this file; '-' for standard output." };
        var rateLimits = new Option<string?>("--rate-limit-config") { Description = "YAML file of per-user request limits per minute by verb class (users, groups, serviceAccounts, exempt), over the built-in ones." };
        var unsafeLocalReads = new Option<bool>("--unsafe-local-reads") { Description = "BROKEN ON PURPOSE, for the chaos suite: serve reads without a read barrier.", Hidden = true };
        var logLevel = new Option<string>("--log-level") { Description = "Trace, Debug, Information, Warning, Error.", DefaultValueFactory = _ => "Warning" };

        var command = new Command("server", "Run one API server replica.")
        {
            data, raft, grpc, api, pki, serviceCidr, controllers, leaseDuration, renewDeadline, retryPeriod, nodeGrace, tolerationSeconds, lbPool, peers, join, snapshotEvery, watchWindow, maxMutating, maxReadOnly, replicationLag, apiServerLease, advertise, tokenFile, oidcIssuer, oidcClient, oidcUsernameClaim, oidcUsernamePrefix, oidcGroupsClaim, oidcGroupsPrefix, oidcCa, webhookConfig, webhookTtl, rateLimits, encryption, auditLog, unsafeLocalReads, logLevel,
        };
        command.SetAction((result, token) =>
        {
            var raftEndpoint = ParseEndpoint(result.GetValue(raft)!, "--raft");
            var peerList = (result.GetValue(peers) ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => ParseEndpoint(p, "--peers"))
                .ToList();
            if (peerList.Count == 0 && !result.GetValue(join))
                peerList.Add(raftEndpoint); // a single replica is a valid cluster
            if (result.GetValue(join))
                peerList.Clear();
            var options = new ServerOptions
            {
                DataDirectory = Path.GetFullPath(result.GetValue(data)!),
                RaftEndpoint = raftEndpoint,
                GrpcEndpoint = ParseEndpoint(result.GetValue(grpc)!, "--grpc"),
                ApiEndpoint = ParseEndpoint(result.GetValue(api)!, "--api"),
                PkiDirectory = Path.GetFullPath(result.GetValue(pki) ?? Path.Combine(result.GetValue(data)!, "pki")),
                TokenAuthFile = result.GetValue(tokenFile) is { } tokens ? Path.GetFullPath(tokens) : null,
                Oidc = result.GetValue(oidcIssuer) is { } issuer
                    ? new Security.Authentication.OidcOptions
                    {
                        IssuerUrl = issuer.StartsWith("https://", StringComparison.Ordinal) ? issuer : throw new ArgumentException("--oidc-issuer-url: must be an https URL."),
                        ClientId = result.GetValue(oidcClient) ?? throw new ArgumentException("--oidc-client-id is required with --oidc-issuer-url."),
                        UsernameClaim = result.GetValue(oidcUsernameClaim)!,
                        UsernamePrefix = result.GetValue(oidcUsernamePrefix),
                        GroupsClaim = result.GetValue(oidcGroupsClaim),
                        GroupsPrefix = result.GetValue(oidcGroupsPrefix)!,
                        CaFile = result.GetValue(oidcCa) is { } ca ? Path.GetFullPath(ca) : null,
                    }
                    : null,
                TokenWebhookConfig = result.GetValue(webhookConfig) is { } webhook ? Path.GetFullPath(webhook) : null,
                TokenWebhookCacheTtl = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(webhookTtl))),
                RateLimitConfig = result.GetValue(rateLimits) is { } limits ? Path.GetFullPath(limits) : null,
                UnsafeLocalReads = result.GetValue(unsafeLocalReads),
                EncryptionConfig = result.GetValue(encryption) is { } sealing ? Path.GetFullPath(sealing) : null,
                AuditLogPath = result.GetValue(auditLog) is { } audit ? audit == "-" ? "-" : Path.GetFullPath(audit) : null,
                ServiceCidr = result.GetValue(serviceCidr)!,
                RunControllers = result.GetValue(controllers),
                LeaseDuration = TimeSpan.FromSeconds(result.GetValue(leaseDuration)),
                RenewDeadline = TimeSpan.FromSeconds(result.GetValue(renewDeadline)),
                RetryPeriod = TimeSpan.FromSeconds(result.GetValue(retryPeriod)),
                Controllers = new Controllers.Runtime.ControllerSettings
                {
                    NodeMonitorGracePeriod = TimeSpan.FromSeconds(result.GetValue(nodeGrace)),
                    DefaultTolerationSeconds = TimeSpan.FromSeconds(result.GetValue(tolerationSeconds)),
                    LoadBalancerPool = result.GetValue(lbPool)!,
                },
                Peers = peerList,
                SnapshotEvery = result.GetValue(snapshotEvery),
                WatchWindowEvents = result.GetValue(watchWindow),
                LogLevel = result.GetValue(logLevel)!,
                MaxMutatingRequestsInflight = Math.Max(1, result.GetValue(maxMutating)),
                MaxRequestsInflight = Math.Max(1, result.GetValue(maxReadOnly)),
                MaxReplicationLag = Math.Max(1, result.GetValue(replicationLag)),
                ApiServerLeaseDuration = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(apiServerLease))),
                AdvertiseAddress = result.GetValue(advertise) is { Length: > 0 } ip
                    ? IPAddress.TryParse(ip, out var parsed) ? parsed : throw new ArgumentException($"--advertise-address: '{ip}' is not an IP address.")
                    : null,
            };
            return ReplicaHost.RunAsync(options, token);
        });
        return command;
    }

    private static IPEndPoint ParseEndpoint(string text, string option) =>
        IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0
            ? endpoint
            : throw new ArgumentException($"{option}: '{text}' is not an ip:port endpoint.");
}
