using System.CommandLine;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Orchestrator.Server.Security;
using Orchestrator.Storage.Replication;
using Orchestrator.Storage.Replication.Grpc;

namespace Orchestrator.Server.Commands;

/// <summary>
/// `orchestrator member list|add|remove`: the Raft membership of a running cluster, changed one replica at a time
/// through any replica's internal port (it forwards to the leader). Run on a replica machine: it holds the PKI whose
/// CA signs the replica certificate the internal port asks for.
/// </summary>
public static class MemberCommand
{
    public static Command Create()
    {
        var pki = new Option<string>("--pki") { Description = "The cluster's PKI directory.", DefaultValueFactory = _ => "/var/lib/orchestrator/pki" };
        var via = new Option<string>("--via") { Description = "Internal (gRPC) endpoint of a running replica, e.g. 10.0.0.11:8001.", Required = true };
        var raft = new Option<string>("--raft") { Description = "Raft endpoint of the replica to add or remove, e.g. 10.0.0.12:7001.", Required = true };

        var list = new Command("list", "Print the members, the leader and the term.") { pki, via };
        list.SetAction(async (result, token) =>
        {
            using var authority = ClusterPki.Load(Path.GetFullPath(result.GetValue(pki)!));
            using var channel = Channel(authority, result.GetValue(via)!);
            var status = await new Store.StoreClient(channel).StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: token);
            Console.WriteLine($"term {status.Term}, leader {(status.Leader.Length > 0 ? status.Leader : "(none)")}, commit {status.CommitIndex}");
            foreach (var member in status.Members.Order(StringComparer.Ordinal))
                Console.WriteLine(member + (member == status.Leader ? " (leader)" : ""));
            return 0;
        });
        var add = new Command("add", "Add a replica that runs with --join (after `orchestrator join`).") { pki, via, raft };
        add.SetAction((result, token) => ChangeAsync(result, pki, via, raft, adding: true, token));
        var remove = new Command("remove", "Remove a replica (stop it afterwards).") { pki, via, raft };
        remove.SetAction((result, token) => ChangeAsync(result, pki, via, raft, adding: false, token));
        return new Command("member", "List, add and remove the cluster's replicas.") { list, add, remove };
    }

    private static async Task<int> ChangeAsync(ParseResult result, Option<string> pki, Option<string> via, Option<string> raft, bool adding, CancellationToken token)
    {
        var endpoint = result.GetValue(raft)!;
        if (!IPEndPoint.TryParse(endpoint, out var parsed) || parsed.Port == 0)
        {
            Console.Error.WriteLine($"--raft: '{endpoint}' is not an ip:port endpoint.");
            return 2;
        }
        using var authority = ClusterPki.Load(Path.GetFullPath(result.GetValue(pki)!));
        using var channel = Channel(authority, result.GetValue(via)!);
        var client = new Store.StoreClient(channel);
        var request = new MemberRequest { RaftEndpoint = parsed.ToString() };
        // A change is refused while another is under way (or the new replica is still catching up): tried again
        // until the membership shows it done, at most a minute.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var reason = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var reply = adding
                    ? await client.AddMemberAsync(request, deadline: deadline, cancellationToken: token)
                    : await client.RemoveMemberAsync(request, deadline: deadline, cancellationToken: token);
                var status = await client.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: token);
                if (reply.Ok || status.Members.Contains(request.RaftEndpoint) == adding)
                {
                    Console.WriteLine($"{(adding ? "Added" : "Removed")} {parsed}; members: {string.Join(", ", status.Members.Order(StringComparer.Ordinal))}.");
                    return 0;
                }
                reason = "the change did not commit";
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
            {
                reason = e.Status.Detail;
            }
            await Task.Delay(500, token);
        }
        Console.Error.WriteLine($"{(adding ? "Adding" : "Removing")} {parsed} failed: {reason}");
        return 1;
    }

    /// <summary>A channel that shows a replica certificate and accepts only replicas (the CA must outlive it).</summary>
    private static GrpcChannel Channel(ClusterPki authority, string via)
    {
        var tls = new PeerTls(authority.IssuePeerCertificate("orchestrator-member", [IPAddress.Loopback]), authority.VerifyPeer);
        return GrpcChannel.ForAddress($"https://{via}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { SslOptions = tls.ClientOptions() } });
    }
}
