using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Orchestrator.Node.Runtime;

namespace Orchestrator.Node.Network;

/// <summary>
/// Connects to a port on localhost inside a pod's network namespace, as kubelet does for port-forward (a port the
/// pod binds to 127.0.0.1 only is reachable too). A socket belongs to the namespace it was created in, so a thread
/// of its own enters the namespace, creates the socket and leaves; the connect happens from anywhere.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class NamespaceDialer
{
    public static async Task<Socket> ConnectAsync(string namespacePath, int port, CancellationToken token)
    {
        SocketException? refused = null;
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            var socket = await CreateInAsync(namespacePath, address.AddressFamily).ConfigureAwait(false);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), token).ConfigureAwait(false);
                socket.NoDelay = true;
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                refused ??= e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw refused!;
    }

    private static Task<Socket> CreateInAsync(string namespacePath, AddressFamily family)
    {
        var created = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                created.SetResult(CreateIn(namespacePath, family));
            }
            catch (Exception e)
            {
                created.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns dial",
        };
        thread.Start();
        return created.Task;
    }

    /// <summary>Runs on a thread that ends afterwards, so a failed return to the host namespace strands nothing else.</summary>
    private static Socket CreateIn(string namespacePath, AddressFamily family)
    {
        using var own = File.OpenHandle("/proc/thread-self/ns/net");
        using var target = File.OpenHandle(namespacePath);
        Enter(target.DangerousGetHandle());
        try
        {
            return new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        }
        finally
        {
            Enter(own.DangerousGetHandle());
        }
    }

    private static void Enter(nint fd)
    {
        if (LibC.SetNs((int)fd, LibC.NewNetworkNamespace) != 0)
            throw new IOException($"setns failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }
}
