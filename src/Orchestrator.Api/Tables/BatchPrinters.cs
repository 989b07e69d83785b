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
        long succeeded = Fields.Int(status, "succeeded");
        string completions;
        if (Fields.IntOrNull(spec, "completions") is { } wanted)
        {
            completions = Invariant($"{succeeded}/{wanted}");
        }
        else
        {
            long parallelism = Fields.Int(spec, "parallelism");
            completions = parallelism > 1 ? Invariant($"{succeeded}/1 of {parallelism}") : Invariant($"{succeeded}/1");
        }

        string duration = "";
        if (Fields.Time(status, "startTime") is { } start)
        {
            duration = HumanDuration.Format((Fields.Time(status, "completionTime") ?? now) - start);
        }

        (string names, string images) = PodTemplateCells.Containers(Fields.At(spec, "template", "spec"));
        return new JsonArray(
            Fields.Name(job),
            JobStatus(job),
            completions,
            duration,
            Fields.Age(job, now),
            names,
            images,
            LabelFormat.FormatSelector(Fields.At(spec, "selector")));
    }

    /// <summary>Terminal conditions first, then deletion, then Suspended / FailureTarget, else Running.</summary>
    internal static string JobStatus(JsonObject job)
    {
        JsonNode? status = job["status"];
        if (Condition(status, "Complete"))
        {
            return "Complete";
        }

        if (Condition(status, "Failed"))
        {
            return "Failed";
        }

        if (Fields.IsDeleting(job))
        {
            return "Terminating";
        }

        if (Condition(status, "Suspended"))
        {
            return "Suspended";
        }

        return Condition(status, "FailureTarget") ? "FailureTarget" : "Running";
    }

    private static bool Condition(JsonNode? status, string type) => Fields.FirstConditionTrue(status, type, "conditions");

    private static JsonArray CronJobCells(JsonObject cronJob, DateTimeOffset now)
    {
        JsonNode? spec = cronJob["spec"];
        string lastSchedule = Fields.Time(cronJob, "status", "lastScheduleTime") is { } last
            ? HumanDuration.Since(last, now)
            : LabelFormat.None;
        string suspend = Fields.Bool(spec, "suspend") switch
        {
            true => "True",
            false => "False",
            null => "<unset>",
        };
        JsonNode? jobSpec = Fields.At(spec, "jobTemplate", "spec");
        (string names, string images) = PodTemplateCells.Containers(Fields.At(jobSpec, "template", "spec"));
        return new JsonArray(
            Fields.Name(cronJob),
            Fields.Str(spec, "schedule"),
            Fields.StrOrNull(spec, "timeZone") ?? LabelFormat.None,
            suspend,
            (long)Fields.Count(cronJob, "status", "active"),
            lastSchedule,
            Fields.Age(cronJob, now),
            names,
            images,
            LabelFormat.FormatSelector(Fields.At(jobSpec, "selector")));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
