using System.CommandLine;
using Orchestrator.Server.Commands;

var root = new RootCommand("Orchestrator: a Kubernetes-compatible control plane replicated with Raft.")
{
    ServerCommand.Create(),
    UpCommand.Create(),
    DownCommand.Create(),
    NodeCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
