using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>
/// Ports free on 127.0.0.1 right now, taken below Linux's ephemeral range (32768-60999) so outgoing
/// connections cannot grab one between the test choosing it and the replica binding it; a port is
/// handed out at most once per process.
/// </summary>
public static class FreePorts
{
    private const int First = 20000;
    private const int Last = 32000;

    // Process-wide on purpose: ports are a process-wide (indeed machine-wide) resource.
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (!HandedOut.TryAdd(port, true))
                continue;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use by someone else; try another.
            }
        }
        throw new InvalidOperationException($"no free port found in {First}-{Last}");
    }
}
