using System.Text.Json.Nodes;

namespace Orchestrator.Client.Watching;

/// <summary>One line of a watch stream. <see cref="Type"/> is one of <see cref="WatchEventTypes"/>.</summary>
public sealed record WatchEvent(string Type, JsonObject Object)
{
    public string? ResourceVersion => Object["metadata"]?["resourceVersion"]?.GetValue<string>();
}

public static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
