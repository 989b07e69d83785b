using System.Text.Json.Nodes;
using Orchestrator.Client;
using Orchestrator.Testing;
using static Orchestrator.Controllers.Tests.KubeletCluster;

namespace Orchestrator.Controllers.Tests.Batch;

/// <summary>Jobs run their pods to completion or failure; CronJobs start jobs on schedule.</summary>
public sealed class BatchControllerTests(KubeletCluster cluster) : IClassFixture<KubeletCluster>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private static readonly ApiResource Jobs = new("batch", "v1", "jobs", true);
    private static readonly ApiResource CronJobs = new("batch", "v1", "cronjobs", true);

    private KubeClient Client => cluster.Client;

    [Fact]
    public async Task JobRunsAtMostParallelismPodsUntilCompletionsSucceed()
    {
        await Client.CreateAsync(Jobs, "default", Job("three", completions: 3, parallelism: 2, backoffLimit: 6, finish: null));
        for (var succeeded = 0; succeeded < 3; succeeded++)
        {
            // Finish one running pod at a time; never more than parallelism run at once.
            JsonObject? running = null;
            await Eventually.HoldsAsync(async () =>
            {
                var pods = await PodsOf("three");
                var active = pods.Where(p => (string?)p["status"]?["phase"] is not ("Succeeded" or "Failed")).ToList();
                Assert.True(active.Count <= 2, $"{active.Count} active pods");
                running = active.FirstOrDefault(p => (string?)p["status"]?["phase"] == "Running");
                return running is not null;
            }, Wait);
            await SetPhaseAsync(running!, "Succeeded");
        }
        var job = await EventuallyCondition("three", "Complete");
        Assert.Equal(3, (int?)job["status"]!["succeeded"]);
        Assert.Null(job["status"]!["active"]);
        Assert.NotNull(job["status"]!["completionTime"]);
        Assert.NotNull(job["status"]!["startTime"]);
        Assert.Contains(job["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "SuccessCriteriaMet");
        var pod = (await PodsOf("three"))[0];
        Assert.Equal("three-", (string?)pod["metadata"]!["generateName"]);
        var owner = pod["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal("Job", (string?)owner["kind"]);
        Assert.True((bool?)owner["controller"]);
    }

    [Fact]
    public async Task JobFailsWithBackoffLimitExceeded()
    {
        await Client.CreateAsync(Jobs, "default", Job("failing", completions: 1, parallelism: 1, backoffLimit: 1, finish: "Failed"));
        var job = await EventuallyCondition("failing", "Failed");
        var failed = job["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Failed")!;
        Assert.Equal("BackoffLimitExceeded", (string?)failed["reason"]);
        Assert.Equal(2, (int?)job["status"]!["failed"]);
        Assert.Contains(job["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "FailureTarget");
    }

    [Fact]
    public async Task JobFailsWithDeadlineExceeded()
    {
        var job = Job("slow", completions: 1, parallelism: 1, backoffLimit: 6, finish: null);
        job["spec"]!["activeDeadlineSeconds"] = 2;
        await Client.CreateAsync(Jobs, "default", job);
        var done = await EventuallyCondition("slow", "Failed");
        Assert.Equal("DeadlineExceeded", (string?)done["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Failed")!["reason"]);
        await Eventually.HoldsAsync(async () => (await PodsOf("slow")).Count == 0, Wait);
    }

    [Fact]
    public async Task CronJobWithForbidRunsOneJobAtATime()
    {
        await Client.CreateAsync(CronJobs, "default", CronJob("forbid", "Forbid", finish: null, successfulHistory: 3));
        JsonObject? cronJob = null;
        await Eventually.HoldsAsync(async () =>
        {
            cronJob = await Client.GetAsync(CronJobs, "default", "forbid");
            return cronJob["status"]?["active"] is JsonArray { Count: 1 };
        }, Wait);
        // Its job never finishes: three more scheduled seconds must not start another.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var jobs = await JobsOf("forbid");
        var job = Assert.Single(jobs);
        Assert.Matches(@"^forbid-\d+$", (string)job["metadata"]!["name"]!);
        Assert.NotNull((string?)job["metadata"]!["annotations"]?["batch.kubernetes.io/cronjob-scheduled-timestamp"]);
        Assert.Equal("CronJob", (string?)job["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.NotNull((await Client.GetAsync(CronJobs, "default", "forbid"))["status"]!["lastScheduleTime"]);
        await Client.PatchAsync(CronJobs, "default", "forbid", PatchType.Merge, Json("""{"spec":{"suspend":true}}"""));
    }

    [Fact]
    public async Task CronJobKeepsOnlyTheNewestFinishedJobs()
    {
        await Client.CreateAsync(CronJobs, "default", CronJob("history", "Allow", finish: "Succeeded", successfulHistory: 2));
        var seen = new HashSet<string>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var job in await JobsOf("history"))
                seen.Add((string)job["metadata"]!["name"]!);
            var cronJob = await Client.GetAsync(CronJobs, "default", "history");
            return seen.Count >= 5 && cronJob["status"]?["lastSuccessfulTime"] is not null;
        }, Wait);
        await Client.PatchAsync(CronJobs, "default", "history", PatchType.Merge, Json("""{"spec":{"suspend":true}}"""));
        await Eventually.HoldsAsync(async () =>
        {
            var jobs = await JobsOf("history");
            return jobs.Count(j => j["status"]?["conditions"] is JsonArray c && c.Any(x => (string?)x!["type"] == "Complete")) <= 2
                && jobs.Count <= 3;
        }, Wait);
    }

    private async Task<JsonObject> EventuallyCondition(string job, string type)
    {
        JsonObject? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = await Client.GetAsync(Jobs, "default", job);
            return last["status"]?["conditions"] is JsonArray conditions
                && conditions.Any(c => (string?)c!["type"] == type && (string?)c["status"] == "True");
        }, Wait, () => last?.ToJsonString() ?? "");
        return last!;
    }

    private async Task<List<JsonObject>> PodsOf(string job) =>
        [.. (await Client.ListAsync(ApiResource.Pods, "default", new ListOptions { LabelSelector = $"job-name={job}" })).Items];

    private async Task<List<JsonObject>> JobsOf(string cronJob) =>
        [.. (await Client.ListAsync(Jobs, "default")).Items.Where(j => ((string)j["metadata"]!["name"]!).StartsWith(cronJob + "-", StringComparison.Ordinal))];

    private async Task SetPhaseAsync(JsonObject pod, string phase)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await Client.GetAsync(ApiResource.Pods, "default", (string)pod["metadata"]!["name"]!);
            current["status"]!["phase"] = phase;
            try
            {
                await Client.UpdateAsync(ApiResource.Pods, current, subresource: "status");
                return;
            }
            catch (KubeApiException e) when (e.Code == 409 && attempt < 10)
            {
            }
        }
    }

    private static JsonObject Job(string name, int completions, int parallelism, int backoffLimit, string? finish)
    {
        var labels = finish is null ? "{}" : Fill("""{"%0%":"%1%"}""", TestKubelet.FinishLabel, finish);
        return Json(Fill("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%0%"},
             "spec":{"completions":%1%,"parallelism":%2%,"backoffLimit":%3%,
                     "template":{"metadata":{"labels":%4%},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}
            """, name, completions, parallelism, backoffLimit, labels));
    }

    private static JsonObject CronJob(string name, string policy, string? finish, int successfulHistory)
    {
        var labels = finish is null ? "{}" : Fill("""{"%0%":"%1%"}""", TestKubelet.FinishLabel, finish);
        return Json(Fill("""
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"%0%"},
             "spec":{"schedule":"* * * * * *","concurrencyPolicy":"%1%","successfulJobsHistoryLimit":%2%,
                     "jobTemplate":{"spec":{"template":{"metadata":{"labels":%3%},
                                                        "spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}}}
            """, name, policy, successfulHistory, labels));
    }
}
