using System.Globalization;
using Orchestrator.Node.Runtime;

// orchestrator-shim [container-shim] --bundle DIR --id ID --log FILE --runc-root DIR --cgroup-path PATH
//     [--runc runc] [--log-max-bytes N] [--log-max-files N] [--cgroup-root /sys/fs/cgroup]
// The arguments of the hidden `orchestrator container-shim` command; the leading word is what the runtime appends
// (and what it looks for in /proc/<pid>/cmdline to recognise a live shim).
if (!OperatingSystem.IsLinux())
    return 2;
var values = new Dictionary<string, string>(StringComparer.Ordinal);
var start = args.Length > 0 && args[0] == ContainerShim.CommandName ? 1 : 0;
string[] known = ["--bundle", "--id", "--log", "--runc", "--runc-root", "--log-max-bytes", "--log-max-files", "--cgroup-root", "--cgroup-path"];
for (var i = start; i < args.Length; i += 2)
{
    if (Array.IndexOf(known, args[i]) < 0 || i + 1 >= args.Length)
        return Usage($"unexpected argument '{args[i]}'");
    values[args[i]] = args[i + 1];
}
foreach (var required in (string[])["--bundle", "--id", "--log", "--runc-root", "--cgroup-path"])
{
    if (!values.ContainsKey(required))
        return Usage($"{required} is required");
}
var defaults = new ContainerShimOptions { Bundle = "", Id = "", LogPath = "", RuncRoot = "", CgroupPath = "" };
long maxBytes = defaults.LogMaxBytes;
int maxFiles = defaults.LogMaxFiles;
if (values.TryGetValue("--log-max-bytes", out var text) && !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out maxBytes))
    return Usage($"--log-max-bytes: not a number: {text}");
if (values.TryGetValue("--log-max-files", out text) && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out maxFiles))
    return Usage($"--log-max-files: not a number: {text}");
return await ContainerShim.RunAsync(new ContainerShimOptions
{
    Bundle = values["--bundle"],
    Id = values["--id"],
    LogPath = values["--log"],
    RuncRoot = values["--runc-root"],
    CgroupPath = values["--cgroup-path"],
    RuncPath = values.GetValueOrDefault("--runc", defaults.RuncPath),
    CgroupRoot = values.GetValueOrDefault("--cgroup-root", defaults.CgroupRoot),
    LogMaxBytes = maxBytes,
    LogMaxFiles = maxFiles,
});

static int Usage(string error)
{
    Console.Error.WriteLine($"orchestrator-shim: {error}");
    Console.Error.WriteLine("usage: orchestrator-shim [container-shim] --bundle DIR --id ID --log FILE --runc-root DIR --cgroup-path PATH [--runc PATH] [--log-max-bytes N] [--log-max-files N] [--cgroup-root DIR]");
    return 2;
}
