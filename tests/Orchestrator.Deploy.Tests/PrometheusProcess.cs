using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// Debian's prometheus on a free 127.0.0.1 port scraping a test cluster every second with the shipped alert rules,
/// evaluated every second; its data in a temporary folder; killed and deleted on dispose.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly Process process;
    private readonly DirectoryInfo directory;
    private readonly StringBuilder output = new();

    private PrometheusProcess(Process process, DirectoryInfo directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Http { get; }

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <param name="targets">host:port of each replica's API (its /metrics, over HTTPS).</param>
    /// <param name="pkiDirectory">The cluster CA: Prometheus trusts it and presents a client certificate it issues.</param>
    public static PrometheusProcess Start(IEnumerable<string> targets, string pkiDirectory)
    {
        var directory = Directory.CreateTempSubdirectory("orchestrator-prometheus-");
        var tls = ScrapeCredentials.Write(pkiDirectory, directory.FullName);
        File.Copy(Path.Combine(Promtool.ShippedDirectory, "consensus-rules.yml"), Path.Combine(directory.FullName, "consensus-rules.yml"));
        var config = new StringBuilder()
            .AppendLine("global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}")
            .AppendLine("rule_files: [consensus-rules.yml]")
            .AppendLine("scrape_configs:")
            .AppendLine("  - job_name: orchestrator")
            .AppendLine("    scheme: https")
            .Append(tls)
            .AppendLine($"    static_configs: [{{targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]}}]");
        File.WriteAllText(Path.Combine(directory.FullName, "prometheus.yml"), config.ToString());
        var port = FreePorts.Next();
        var info = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = directory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--config.file=prometheus.yml", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--web.enable-lifecycle",
        })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        var prometheus = new PrometheusProcess(process, directory, port);
        process.OutputDataReceived += (_, e) => prometheus.Append(e.Data);
        process.ErrorDataReceived += (_, e) => prometheus.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return prometheus;
    }

    /// <summary>The instant vector of a PromQL query: each sample's labels and value.</summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>> QueryAsync(string promql)
    {
        var json = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/query?query={Uri.EscapeDataString(promql)}");
        if ((string?)json?["status"] != "success")
            throw new InvalidOperationException($"query {promql}: {json?.ToJsonString()}");
        return [.. json["data"]!["result"]!.AsArray().Select(r => (
            r!["metric"]!.AsObject(),
            double.Parse((string)r["value"]![1]!, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>Names of the alerts firing now.</summary>
    public async Task<IReadOnlyList<string>> FiringAlertsAsync()
    {
        var json = await Http.GetFromJsonAsync<JsonObject>("/api/v1/alerts");
        return [.. json!["data"]!["alerts"]!.AsArray()
            .Where(a => (string?)a!["state"] == "firing")
            .Select(a => (string)a!["labels"]!["alertname"]!)];
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
