using System.Text.Json.Nodes;

namespace Orchestrator.Api.Tables;

/// <summary>
/// core/v1 Event rows. The server prints wide, so cells follow the wide order
/// (LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME).
/// </summary>
internal static class EventPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            CommonColumns.Text("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            CommonColumns.Text("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            CommonColumns.Text("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            CommonColumns.Text("Object", "The object that this event is about."),
            CommonColumns.Wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
            CommonColumns.Wide("Source", "The component reporting this event. Should be a short machine understandable string."),
            CommonColumns.Text("Message", "A human-readable description of the status of this operation."),
            CommonColumns.Wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
            CommonColumns.Wide("Count", "The number of times this event has occurred."),
            CommonColumns.Name with { Priority = 1 },
        ],
        Cells);

    private static JsonArray Cells(JsonObject ev, DateTimeOffset now)
    {
        // Events from events.k8s.io carry eventTime/series instead of first/last timestamps.
        string firstSeen = ev.Time("firstTimestamp") is { } first
            ? HumanDuration.Since(first, now)
            : HumanDuration.Since(ev.Time("eventTime"), now);
        string lastSeen = ev.Time("lastTimestamp") is { } last ? HumanDuration.Since(last, now) : firstSeen;
        long count = ev.Long("count") ?? 0;
        if (ev.Obj("series") is { } series)
        {
            lastSeen = HumanDuration.Since(series.Time("lastObservedTime"), now);
            count = series.Long("count") ?? 0;
        }
        else if (count == 0)
        {
            count = 1;
        }

        JsonNode? involved = ev["involvedObject"];
        string kind = (involved.Str("kind") ?? "").ToLowerInvariant();
        string name = involved.Str("name") ?? "";
        string target = name.Length > 0 ? $"{kind}/{name}" : kind;

        return new JsonArray(
            lastSeen,
            ev.Str("type") ?? "",
            ev.Str("reason") ?? "",
            target,
            involved.Str("fieldPath") ?? "",
            Source(ev),
            (ev.Str("message") ?? "").Trim(),
            firstSeen,
            count,
            ev.Name());
    }

    /// <summary>"component, host", falling back to reportingController / reportingInstance.</summary>
    private static string Source(JsonObject ev)
    {
        string component = FirstNonEmpty(ev.Str("source", "component") ?? "", ev.Str("reportingComponent") ?? "");
        string instance = FirstNonEmpty(ev.Str("source", "host") ?? "", ev.Str("reportingInstance") ?? "");
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private static string FirstNonEmpty(string a, string b) => a.Length > 0 ? a : b;
}
