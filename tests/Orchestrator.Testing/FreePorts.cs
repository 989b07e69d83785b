using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>Ports the OS says are free on 127.0.0.1 right now.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
