using System.CommandLine;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Server.Commands;

/// <summary>
/// `orchestrator container-shim --bundle DIR --id ID ...` (hidden): the per-container shim the node agent's runtime
/// starts for each container (<see cref="ContainerShim"/>); it runs `runc run`, logs its output and records its exit.
/// </summary>
public static class ContainerShimCommand
{
    public const string Name = ContainerShim.CommandName;

    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Required = true, Description = "The container's OCI bundle." };
        var id = new Option<string>("--id") { Required = true, Description = "The runc container id." };
        var log = new Option<string>("--log") { Required = true, Description = "The CRI log file." };
        var runc = new Option<string>("--runc") { Description = "The runc executable.", DefaultValueFactory = _ => "runc" };
        var runcRoot = new Option<string>("--runc-root") { Required = true, Description = "runc's state directory." };
        var maxBytes = new Option<long>("--log-max-bytes") { Description = "Size at which the log rotates.", DefaultValueFactory = _ => 10 * 1024 * 1024 };
        var maxFiles = new Option<int>("--log-max-files") { Description = "Log files kept, the live one included.", DefaultValueFactory = _ => 5 };
        var cgroupRoot = new Option<string>("--cgroup-root") { Description = "Mount point of the cgroup controllers.", DefaultValueFactory = _ => "/sys/fs/cgroup" };
        var cgroupPath = new Option<string>("--cgroup-path") { Required = true, Description = "The container's cgroup, for the OOM flag." };
        var command = new Command(ContainerShim.CommandName, "Run one container under runc for the node agent (internal).")
        {
            bundle, id, log, runc, runcRoot, maxBytes, maxFiles, cgroupRoot, cgroupPath,
        };
        command.Hidden = true;
        command.SetAction(async (result, _) =>
        {
            if (!OperatingSystem.IsLinux())
                return 2;
            return await ContainerShim.RunAsync(new ContainerShimOptions
            {
                Bundle = result.GetValue(bundle)!,
                Id = result.GetValue(id)!,
                LogPath = result.GetValue(log)!,
                RuncPath = result.GetValue(runc)!,
                RuncRoot = result.GetValue(runcRoot)!,
                LogMaxBytes = result.GetValue(maxBytes),
                LogMaxFiles = result.GetValue(maxFiles),
                CgroupRoot = result.GetValue(cgroupRoot)!,
                CgroupPath = result.GetValue(cgroupPath)!,
            });
        });
        return command;
    }
}
