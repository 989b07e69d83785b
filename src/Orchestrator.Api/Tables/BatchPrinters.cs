using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>batch/v1 rows: Job and CronJob.</summary>
internal static class BatchPrinters
{
    public static TablePrinter Job { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Status", "Status of the job."),
            CommonColumns.Text("Completions", "The number of pods which reached phase Succeeded."),
            CommonColumns.Text("Duration", "Time required to complete the job."),
            CommonColumns.Age,
            CommonColumns.Containers,
            CommonColumns.Images,
            CommonColumns.Selector,
        ],
        JobCells);

    public static TablePrinter CronJob { get; } = new(
        [
            CommonColumns.Name,
            CommonColumns.Text("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            CommonColumns.Text("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
            new TableColumn("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
            CommonColumns.Integer("Active", "A list of pointers to currently running jobs."),
            CommonColumns.Text("Last Schedule", "Information when was the last time the job was successfully scheduled."),
            CommonColumns.Age,
            CommonColumns.Containers,
            CommonColumns.Images,
            CommonColumns.Selector,
        ],
        CronJobCells);

    private static JsonArray JobCells(JsonObject job, DateTimeOffset now)
    {
        JsonNode? spec = job["spec"];
        JsonNode? status = job["status"];
        long succeeded = status.Long("succeeded") ?? 0;
        string completions;
        if (spec.Long("completions") is { } wanted)
        {
            completions = Invariant($"{succeeded}/{wanted}");
        }
        else
        {
            long parallelism = spec.Long("parallelism") ?? 0;
            completions = parallelism > 1 ? Invariant($"{succeeded}/1 of {parallelism}") : Invariant($"{succeeded}/1");
        }

        string duration = "";
        if (status.Time("startTime") is { } start)
        {
            duration = HumanDuration.Format((status.Time("completionTime") ?? now) - start);
        }

        (string names, string images) = PodTemplateCells.Containers(spec.At("template", "spec"));
        return new JsonArray(
            job.Name(),
            JobStatus(job),
            completions,
            duration,
            HumanDuration.Since(job.Created(), now),
            names,
            images,
            LabelFormat.FormatSelector(spec.At("selector")));
    }

    /// <summary>Terminal conditions first, then deletion, then Suspended / FailureTarget, else Running.</summary>
    internal static string JobStatus(JsonObject job)
    {
        if (job.HasTrueCondition("Complete"))
        {
            return "Complete";
        }

        if (job.HasTrueCondition("Failed"))
        {
            return "Failed";
        }

        if (job.IsDeleting())
        {
            return "Terminating";
        }

        if (job.HasTrueCondition("Suspended"))
        {
            return "Suspended";
        }

        return job.HasTrueCondition("FailureTarget") ? "FailureTarget" : "Running";
    }

    private static JsonArray CronJobCells(JsonObject cronJob, DateTimeOffset now)
    {
        JsonNode? spec = cronJob["spec"];
        string lastSchedule = cronJob.Time("status", "lastScheduleTime") is { } last
            ? HumanDuration.Since(last, now)
            : LabelFormat.None;
        string suspend = spec.Bool("suspend") switch
        {
            true => "True",
            false => "False",
            null => "<unset>",
        };
        JsonNode? jobSpec = spec.At("jobTemplate", "spec");
        (string names, string images) = PodTemplateCells.Containers(jobSpec.At("template", "spec"));
        return new JsonArray(
            cronJob.Name(),
            spec.Str("schedule") ?? "",
            spec.Str("timeZone") ?? LabelFormat.None,
            suspend,
            (long)cronJob.Count("status", "active"),
            lastSchedule,
            HumanDuration.Since(cronJob.Created(), now),
            names,
            images,
            LabelFormat.FormatSelector(jobSpec.At("selector")));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
