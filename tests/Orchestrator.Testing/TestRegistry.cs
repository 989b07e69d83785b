using System.Diagnostics;
using System.Text;
using Orchestrator.Node.Images;

namespace Orchestrator.Testing;

/// <summary>
/// Debian's docker-registry (distribution 2.x) on a free 127.0.0.1 port with its own storage directory,
/// reachable over plain HTTP; killed and deleted on dispose.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    public const string Binary = Orchestrator.Server.Hosting.LocalRegistry.Binary;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder output = new();
    private readonly string directory;
    private Process? process;

    private TestRegistry(string directory, string host, int port)
    {
        this.directory = directory;
        Address = $"{host}:{port}";
    }

    public static bool IsInstalled => File.Exists(Binary);

    /// <summary>host:port, e.g. 127.0.0.1:23456.</summary>
    public string Address { get; }

    public Uri BaseUri => new($"http://{Address}");

    public string StorageDirectory => Path.Combine(directory, "storage");

    /// <summary>Options for a client of this registry: it is the default registry and spoken to over HTTP.</summary>
    public RegistryOptions ClientOptions => new() { DefaultRegistry = Address, InsecureRegistries = [Address] };

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>Where the filesystem driver keeps a blob; tests corrupt it to exercise digest verification.</summary>
    public string BlobDataPath(Digest digest) =>
        Path.Combine(StorageDirectory, "docker", "registry", "v2", "blobs", "sha256", digest.Hex[..2], digest.Hex, "data");

    /// <param name="host">The address it listens on (a test network's gateway, for nodes in network namespaces).</param>
    public static async Task<TestRegistry> StartAsync(CancellationToken token = default, string host = "127.0.0.1")
    {
        if (!IsInstalled)
            throw new InvalidOperationException($"{Binary} is missing: apt-get install docker-registry");
        var directory = Path.Combine(Path.GetTempPath(), $"orchestrator-registry-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var registry = new TestRegistry(directory, host, FreePorts.Next());
        try
        {
            await registry.StartProcessAsync(token);
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>Pushes <paramref name="image"/> as &lt;this registry&gt;/<paramref name="repository"/>:<paramref name="tag"/>.</summary>
    public async Task<ImageReference> PushAsync(BuiltImage image, string repository, string tag = "latest", CancellationToken token = default)
    {
        var target = ImageReference.Parse($"{Address}/{repository}:{tag}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        await new RegistryClient(http, ClientOptions).PushAsync(image, target, token);
        return target;
    }

    private async Task StartProcessAsync(CancellationToken token)
    {
        Directory.CreateDirectory(StorageDirectory);
        var config = Path.Combine(directory, "config.yml");
        // Deletes allowed: tests remove blobs and manifests to exercise the pull path's failures.
        await Orchestrator.Server.Hosting.LocalRegistry.WriteConfigAsync(config, StorageDirectory, Address, allowDeletes: true, token);
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.HoldsAsync(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {process.ExitCode}");
            using var response = await http.GetAsync(new Uri(BaseUri, "/v2/"), token);
            return response.IsSuccessStatusCode;
        }, StartTimeout, () => Output);
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    public ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process?.Dispose();
        process = null;
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is not worth failing a test over.
        }
        return ValueTask.CompletedTask;
    }
}
