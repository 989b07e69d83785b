using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.Api.Benchmarks;

/// <summary>
/// Who wrote to the API during a phase: the replicas' orchestrator_apiserver_requests_by_user_total, summed over the
/// replicas, as the difference between two scrapes. Shows what the control plane's own writes add to the benchmark's.
/// </summary>
internal sealed partial class RequestsByUser(ApiCluster cluster)
{
    private Dictionary<(string User, string Verb), double> last = [];

    /// <summary>Remembers the current counts; the next <see cref="PrintSinceAsync"/> reports what came after.</summary>
    public async Task MarkAsync(CancellationToken token) => last = await ScrapeAsync(token);

    public async Task PrintSinceAsync(string phase, TimeSpan elapsed, CancellationToken token)
    {
        var now = await ScrapeAsync(token);
        var rows = now
            .Select(kv => (kv.Key.User, kv.Key.Verb, Count: kv.Value - last.GetValueOrDefault(kv.Key)))
            .Where(r => r.Count > 0 && r.Verb is "create" or "update" or "patch" or "delete" or "deletecollection")
            .OrderByDescending(r => r.Count)
            .ToList();
        Console.WriteLine($"API writes by user during {phase} ({elapsed.TotalSeconds:F0} s, all replicas):");
        foreach (var (user, verb, count) in rows)
            Console.WriteLine($"  {user,-36} {verb,-8} {count,9:F0}  {count / elapsed.TotalSeconds,7:F0}/s");
        last = now;
    }

    private async Task<Dictionary<(string User, string Verb), double>> ScrapeAsync(CancellationToken token)
    {
        var counts = new Dictionary<(string User, string Verb), double>();
        foreach (var replica in cluster.Replicas)
        {
            using var http = cluster.CreateHttpClient(replica);
            var text = await http.GetStringAsync("/metrics", token);
            foreach (Match match in Sample().Matches(text))
            {
                var key = (match.Groups["user"].Value, match.Groups["verb"].Value);
                counts[key] = counts.GetValueOrDefault(key) + double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return counts;
    }

    [GeneratedRegex("""^orchestrator_apiserver_requests_by_user_total\{[^}]*user="(?<user>[^"]*)",verb="(?<verb>[^"]*)"\} (?<value>[0-9.e+]+)""", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
