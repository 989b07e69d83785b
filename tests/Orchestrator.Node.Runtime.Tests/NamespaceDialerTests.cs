using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Orchestrator.Node.Network;
using Xunit;

namespace Orchestrator.Node.Runtime.Tests;

/// <summary>
/// Dialing localhost inside a network namespace the test makes: a listener bound to 127.0.0.1 there is reached,
/// the host's own loopback is not, and a closed port is refused.
/// </summary>
public sealed class NamespaceDialerTests : IAsyncLifetime
{
    private readonly string name = "otdial-" + Guid.NewGuid().ToString("N")[..8];

    private string NamespacePath => $"/var/run/netns/{name}";

    public NamespaceDialerTests() => Host.Require();

    public async Task InitializeAsync()
    {
        await RunAsync("ip", "netns", "add", name);
        await RunAsync("ip", "-n", name, "link", "set", "lo", "up");
    }

    public Task DisposeAsync() => RunAsync("ip", "netns", "del", name);

    [Fact]
    public async Task Connects_to_a_port_bound_to_loopback_inside_the_namespace()
    {
        // busybox nc answers one connection with a line; the namespace has only its loopback, so nothing outside reaches it.
        using var listener = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", name, "busybox", "nc", "-l", "-p", "5599", "-e", "echo", "from-inside"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Socket? socket = null;
            while (socket is null)
            {
                try
                {
                    socket = await NamespaceDialer.ConnectAsync(NamespacePath, 5599, timeout.Token);
                }
                catch (SocketException) when (!timeout.IsCancellationRequested)
                {
                    await Task.Delay(100, timeout.Token); // nc is not listening yet
                }
            }
            using (socket)
            {
                var buffer = new byte[64];
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.Equal("from-inside\n", Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        finally
        {
            if (!listener.HasExited)
                listener.Kill(entireProcessTree: true);
            await listener.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<SocketException>(() => NamespaceDialer.ConnectAsync(NamespacePath, 5598, timeout.Token));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }
}
