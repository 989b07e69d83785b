using System.CommandLine;
using Orchestrator.Server.Commands;

var root = new RootCommand("Orchestrator: a Kubernetes-compatible control plane replicated with Raft.")
{
    ServerCommand.Create(),
    UpCommand.Create(),
    DownCommand.Create(),
    NodeCommand.Create(),
};
// On SIGINT/SIGTERM the action's token is cancelled and it gets this long to finish before the process exits. `up`
// stops its processes, and a node agent with --stop-pods-on-exit its pods' containers (a few seconds of grace): they
// get 30 s. A replica keeps System.CommandLine's default of 2 s: its host does not finish stopping on its own yet.
var parsed = root.Parse(args);
var terminationTimeout = parsed.CommandResult.Command.Name is "up" or "node" ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(2);
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = terminationTimeout });
