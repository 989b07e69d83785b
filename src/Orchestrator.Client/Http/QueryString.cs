using System.Text;

namespace Orchestrator.Client.Http;

/// <summary>Appends escaped query parameters, skipping absent ones.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder builder = new();

    public QueryString Add(string name, string? value)
    {
        if (value is null)
            return this;
        builder.Append(builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryString Add(string name, long? value) => Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public QueryString Add(string name, bool? value) => Add(name, value is { } b ? (b ? "true" : "false") : null);

    public QueryString AddList(ListOptions? options)
    {
        if (options is null)
            return this;
        return Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit is > 0 ? options.Limit : null)
            .Add("continue", options.Continue)
            .Add("resourceVersion", options.ResourceVersion);
    }

    public QueryString AddWrite(WriteOptions? options)
    {
        if (options is null)
            return this;
        return Add("fieldManager", options.FieldManager)
            .Add("force", options.Force)
            .Add("fieldValidation", options.FieldValidation)
            .Add("dryRun", options.DryRun ? "All" : null);
    }

    public override string ToString() => builder.ToString();
}
