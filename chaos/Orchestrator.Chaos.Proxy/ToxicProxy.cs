using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Orchestrator.Chaos.Proxy;

/// <summary>
/// One proxy: a listener that, for every connection it accepts, dials the upstream and joins the two through a
/// <see cref="Link"/>. Disabling it closes the listener and every link (clients then get "connection refused"), as a
/// Toxiproxy proxy does; toxics change live on links already open.
/// </summary>
public sealed class ToxicProxy : IAsyncDisposable
{
    private readonly object gate = new();
    private readonly List<Link> links = [];
    private IReadOnlyList<Toxic> toxics = [];
    // Per-direction snapshots, remade only when toxics change: links read them for every chunk.
    private IReadOnlyList<Toxic> upstreamToxics = [];
    private IReadOnlyList<Toxic> downstreamToxics = [];
    private Socket? listener;
    private Task accepting = Task.CompletedTask;

    public ToxicProxy(string name, string listen, string upstream)
    {
        Name = name;
        Listen = listen;
        Upstream = upstream;
    }

    public string Name { get; }

    /// <summary>host:port; a port of 0 is replaced by the one the listener got.</summary>
    public string Listen { get; private set; }

    public string Upstream { get; private set; }

    public bool Enabled { get; private set; }

    public IReadOnlyList<Toxic> Toxics
    {
        get { lock (gate) return toxics; }
    }

    public int OpenLinks
    {
        get { lock (gate) return links.Count; }
    }

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["listen"] = Listen,
        ["upstream"] = Upstream,
        ["enabled"] = Enabled,
        ["toxics"] = new JsonArray([.. Toxics.Select(t => (JsonNode)t.ToJson())]),
    };

    public void Enable()
    {
        lock (gate)
        {
            if (Enabled)
                return;
            var endpoint = ParseListen(Listen);
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endpoint);
                socket.Listen(128);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new ProxyApiException(500, $"listen {Listen}: {e.Message}");
            }
            listener = socket;
            Listen = socket.LocalEndPoint!.ToString()!;
            Enabled = true;
            accepting = AcceptAsync(socket);
        }
    }

    public void Disable()
    {
        List<Link> open;
        lock (gate)
        {
            if (!Enabled)
                return;
            Enabled = false;
            listener?.Close();
            listener = null;
            open = [.. links];
        }
        foreach (var link in open)
            link.Close();
    }

    /// <summary>Changes the addresses; a running proxy is restarted on them, its links closed.</summary>
    public void Update(string? listen, string? upstream)
    {
        var wasEnabled = Enabled;
        if ((listen is not null && listen != Listen) || (upstream is not null && upstream != Upstream))
        {
            Disable();
            Listen = listen ?? Listen;
            Upstream = upstream ?? Upstream;
            if (wasEnabled)
                Enable();
        }
    }

    public Toxic AddToxic(Toxic toxic)
    {
        lock (gate)
        {
            if (toxics.Any(t => t.Name == toxic.Name))
                throw new ProxyApiException(409, "toxic already exists");
            Set([.. toxics, toxic]);
            return toxic;
        }
    }

    public Toxic UpdateToxic(string name, JsonObject body)
    {
        lock (gate)
        {
            var existing = toxics.FirstOrDefault(t => t.Name == name) ?? throw new ProxyApiException(404, "toxic not found");
            body["name"] = name;
            var updated = Toxic.FromJson(body, existing);
            Set([.. toxics.Select(t => t == existing ? updated : t)]);
            return updated;
        }
    }

    public void RemoveToxic(string name)
    {
        lock (gate)
        {
            if (!toxics.Any(t => t.Name == name))
                throw new ProxyApiException(404, "toxic not found");
            Set([.. toxics.Where(t => t.Name != name)]);
        }
    }

    public void RemoveAllToxics()
    {
        lock (gate)
            Set([]);
    }

    /// <summary>Called under the gate.</summary>
    private void Set(IReadOnlyList<Toxic> all)
    {
        toxics = all;
        upstreamToxics = [.. all.Where(t => t.Stream == "upstream")];
        downstreamToxics = [.. all.Where(t => t.Stream == "downstream")];
    }

    private IReadOnlyList<Toxic> ToxicsOf(string stream) =>
        Volatile.Read(ref stream == "upstream" ? ref upstreamToxics : ref downstreamToxics);

    private async Task AcceptAsync(Socket socket)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ConnectAsync(client));
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var (host, port) = SplitHostPort(Upstream);
            await upstream.ConnectAsync(host, port, deadline.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
        {
            // The upstream refuses: so does the proxy, by closing the client's connection.
            client.Close();
            upstream.Dispose();
            return;
        }
        var link = new Link(client, upstream, ToxicsOf);
        lock (gate)
        {
            if (!Enabled)
            {
                link.Close();
                return;
            }
            links.Add(link);
        }
        link.Start();
        await link.Completion;
        lock (gate)
            links.Remove(link);
    }

    private static IPEndPoint ParseListen(string listen)
    {
        var (host, port) = SplitHostPort(listen);
        var address = host is "localhost" or "" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ProxyApiException(400, $"listen address {listen}: the host must be an IP address or localhost");
        return new IPEndPoint(address, port);
    }

    internal static (string Host, int Port) SplitHostPort(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
            throw new ProxyApiException(400, $"{address} is not host:port");
        return (address[..colon].Trim('[', ']'), port);
    }

    public async ValueTask DisposeAsync()
    {
        Disable();
        await accepting;
    }
}
