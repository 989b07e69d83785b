using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using k8s.Models;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// Descriptions of k8s.Models types and fields, taken from the XML documentation KubernetesClient
/// ships (the Kubernetes API's own field docs), so <c>kubectl explain</c> has text to print.
/// </summary>
/// <remarks>
/// Optional: without the file the documents are complete but carry no descriptions. Only
/// k8s.Models members are kept (the file also documents the client, about 25 MB in all).
/// </remarks>
public sealed partial class ModelDocumentation
{
    private const string ModelsPrefix = "k8s.Models.";

    private readonly FrozenDictionary<string, string> _summaries;

    private ModelDocumentation(FrozenDictionary<string, string> summaries) => _summaries = summaries;

    public static ModelDocumentation None { get; } = new(FrozenDictionary<string, string>.Empty);

    /// <summary>Reads KubernetesClient.xml from beside KubernetesClient.dll, or <see cref="None"/> when it was not deployed.</summary>
    public static ModelDocumentation BesideAssembly()
    {
        string location = typeof(V1Pod).Assembly.Location;
        string path = Path.ChangeExtension(location, ".xml");
        if (location.Length == 0 || !File.Exists(path))
        {
            return None;
        }

        using FileStream stream = File.OpenRead(path);
        return FromXml(stream);
    }

    /// <summary>Parses C# XML documentation, keeping the summaries of k8s.Models members.</summary>
    public static ModelDocumentation FromXml(Stream xml)
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        using XmlReader reader = XmlReader.Create(xml, new XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = true });
        while (reader.ReadToFollowing("member"))
        {
            string? name = reader.GetAttribute("name");
            if (name is null || name.Length < 2 || !name.AsSpan(2).StartsWith(ModelsPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using XmlReader member = reader.ReadSubtree();
            if (member.ReadToFollowing("summary"))
            {
                // Summaries may hold markup (<see cref>, <para>); its text is what explain prints.
                string text = Whitespace().Replace(((XElement)XNode.ReadFrom(member)).Value, " ").Trim();
                if (text.Length > 0)
                {
                    summaries.TryAdd(name, text);
                }
            }
        }

        return new ModelDocumentation(summaries.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public string? Of(Type model) => _summaries.GetValueOrDefault("T:" + model.FullName);

    public string? Of(PropertyInfo property) =>
        _summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
