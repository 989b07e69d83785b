using Microsoft.Extensions.Logging;

namespace Orchestrator.Node.Runtime;

public sealed partial class RuncRuntime
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Container {Id} started as pid {Pid} (overlay rootfs: {Overlay})")]
        public static partial void Started(ILogger logger, string id, int pid, bool overlay);

        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Container {Id} exited with {ExitCode} (OOM killed: {Oom})")]
        public static partial void Exited(ILogger logger, string id, int exitCode, bool oom);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Copying the output of container {Id} failed")]
        public static partial void LogCopyFailed(ILogger logger, string id, Exception error);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Cleaning up container {Id} failed")]
        public static partial void CleanupFailed(ILogger logger, string id, Exception error);

        [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Removed container {Id} left by a previous agent run")]
        public static partial void OrphanRemoved(ILogger logger, string id);
    

        [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "The shim of container {Id} died without recording its exit; reported as killed (137)")]
        public static partial void ShimLost(ILogger logger, string id);

        [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Could not read the exit file {File}")]
        public static partial void BadExitFile(ILogger logger, string file, Exception error);

        [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Adopted container {Id} left by a previous agent run ({State})")]
        public static partial void Adopted(ILogger logger, string id, ContainerState state);
    }
}
