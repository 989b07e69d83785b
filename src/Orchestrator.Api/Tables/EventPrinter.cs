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
        string firstSeen = Fields.Time(ev, "firstTimestamp") is { } first
            ? HumanDuration.Since(first, now)
            : HumanDuration.Since(Fields.Time(ev, "eventTime"), now);
        string lastSeen = Fields.Time(ev, "lastTimestamp") is { } last ? HumanDuration.Since(last, now) : firstSeen;
        long count = Fields.Int(ev, "count");
        if (Fields.Obj(ev, "series") is { } series)
        {
            lastSeen = HumanDuration.Since(Fields.Time(series, "lastObservedTime"), now);
            count = Fields.Int(series, "count");
        }
        else if (count == 0)
        {
            count = 1;
        }

        JsonNode? involved = ev["involvedObject"];
        string kind = Fields.Str(involved, "kind").ToLowerInvariant();
        string name = Fields.Str(involved, "name");
        string target = name.Length > 0 ? $"{kind}/{name}" : kind;

        return new JsonArray(
            lastSeen,
            Fields.Str(ev, "type"),
            Fields.Str(ev, "reason"),
            target,
            Fields.Str(involved, "fieldPath"),
            Source(ev),
            Fields.Str(ev, "message").Trim(),
            firstSeen,
            count,
            Fields.Name(ev));
    }

    /// <summary>"component, host", falling back to reportingController / reportingInstance.</summary>
    private static string Source(JsonObject ev)
    {
        string component = FirstNonEmpty(Fields.Str(ev, "source", "component"), Fields.Str(ev, "reportingComponent"));
        string instance = FirstNonEmpty(Fields.Str(ev, "source", "host"), Fields.Str(ev, "reportingInstance"));
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private static string FirstNonEmpty(string a, string b) => a.Length > 0 ? a : b;
}
