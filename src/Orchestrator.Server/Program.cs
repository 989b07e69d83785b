using System.CommandLine;
using Orchestrator.Server.Commands;

var root = new RootCommand("Orchestrator: a Kubernetes-compatible control plane replicated with Raft.")
{
    ServerCommand.Create(),
    UpCommand.Create(),
    DownCommand.Create(),
    NodeCommand.Create(),
    ContainerShimCommand.Create(),
    KubeconfigCommand.Create(),
    KubeconfigCommand.CreateCertificate(),
    TokenCommand.Create(),
    JoinCommand.Create(),
    MemberCommand.Create(),
};
// On SIGINT/SIGTERM the action's token is cancelled and it gets this long to finish before the process exits. `up`
// stops its processes, and a node agent with --stop-pods-on-exit its pods' containers (a few seconds of grace): they
// get 30 s. A replica ends its streams at once and releases its leases (about 2 s in all); 10 s bounds a stuck one.
var parsed = root.Parse(args);
// A container shim handles (ignores) those signals itself: only its container's end stops it.
TimeSpan? terminationTimeout = parsed.CommandResult.Command.Name switch
{
    "up" or "node" => TimeSpan.FromSeconds(30),
    "server" => TimeSpan.FromSeconds(10),
    ContainerShimCommand.Name => null,
    _ => TimeSpan.FromSeconds(2),
};
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = terminationTimeout });
