using Orchestrator.Node.Images;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// The local cluster's image registry: Debian's docker-registry (distribution 2.x) on 127.0.0.1 over plain HTTP,
/// storage in DATA/registry/storage, log DATA/registry/registry.log, pid DATA/registry.pid. It holds the project's
/// busybox image (<see cref="BusyboxImageBuilder"/>) as busybox:latest and busybox:1, so `--image=busybox` runs
/// without the internet; the real nodes resolve image names without a registry against it.
/// </summary>
public sealed class LocalRegistry(string dataDirectory, string address)
{
    public const string Binary = "/usr/bin/docker-registry";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] BusyboxTags = ["latest", "1"];

    /// <summary>host:port, e.g. 127.0.0.1:41234.</summary>
    public string Address => address;

    public string PidFile => Path.Combine(dataDirectory, "registry.pid");

    public string LogPath => Path.Combine(Root, "registry.log");

    private string Root => Path.Combine(dataDirectory, "registry");

    public async Task StartAsync(CancellationToken token)
    {
        var storage = Path.Combine(Root, "storage");
        Directory.CreateDirectory(storage);
        var config = Path.Combine(Root, "config.yml");
        await WriteConfigAsync(config, storage, address, allowDeletes: false, token);
        await LocalProcesses.StartAsync([Binary, "serve", config], LogPath, PidFile, token);
    }

    /// <summary>docker-registry's config: quiet log, filesystem storage, plain HTTP on <paramref name="address"/>.</summary>
    public static Task WriteConfigAsync(string path, string storageDirectory, string address, bool allowDeletes, CancellationToken token) =>
        File.WriteAllTextAsync(path, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storageDirectory}
              delete:
                enabled: {(allowDeletes ? "true" : "false")}
            http:
              addr: {address}
            """, token);

    /// <summary>Waits until /v2/ answers, then pushes busybox under each tag that does not already name this very image.</summary>
    public async Task WaitAndSeedAsync(CancellationToken token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilServingAsync(http, token);
        var image = BusyboxImageBuilder.Build();
        var client = new RegistryClient(http, new RegistryOptions { DefaultRegistry = address, InsecureRegistries = [address] });
        foreach (var tag in BusyboxTags)
        {
            var reference = ImageReference.Parse($"{address}/busybox:{tag}");
            try
            {
                if ((await client.GetManifestAsync(reference, tag, token)).Digest == image.Manifest.Digest)
                    continue;
            }
            catch (ImagePullException e) when (e.Reason == ImagePullFailure.NotFound)
            {
            }
            await client.PushAsync(image, reference, token);
        }
    }

    private async Task WaitUntilServingAsync(HttpClient http, CancellationToken token)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (LocalProcesses.RunningPid(PidFile) is null)
                throw new InvalidOperationException($"the registry exited during start-up: {LocalProcesses.LastLine(LogPath)} (log {LogPath})");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{address}/v2/"), token);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!token.IsCancellationRequested)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"the registry did not answer on {address} within {StartTimeout.TotalSeconds:0} s (log {LogPath})");
            await Task.Delay(100, token);
        }
    }
}
