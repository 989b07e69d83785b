using System.Text.Json.Nodes;

namespace Orchestrator.Api.Apply;

// fieldsV1: a tree of path elements; "{}" is a member leaf, and "." marks a node that is a member
// and also has children (an associative list item owning some of its fields).
public sealed partial class FieldSet
{
    private const string Self = ".";

    /// <summary>Reads fieldsV1; throws <see cref="FormatException"/> when it is not a fieldsV1 tree.</summary>
    public static FieldSet Parse(JsonObject fieldsV1)
    {
        ArgumentNullException.ThrowIfNull(fieldsV1);
        var paths = new List<FieldSetPath>();
        ParseNode(fieldsV1, new FieldSetPath([]), paths);
        return new FieldSet(paths);
    }

    public JsonObject ToJson()
    {
        var root = new Node();
        foreach (FieldSetPath path in _paths)
        {
            Node node = root;
            foreach (string element in path.Elements)
            {
                if (!node.Children.TryGetValue(element, out Node? child))
                {
                    child = new Node();
                    node.Children.Add(element, child);
                }

                node = child;
            }

            node.Member = true;
        }

        return root.ToJson();
    }

    private static void ParseNode(JsonObject node, FieldSetPath prefix, List<FieldSetPath> paths)
    {
        foreach ((string key, JsonNode? value) in node)
        {
            if (value is not JsonObject child)
            {
                throw new FormatException($"fieldsV1 entry {key} must be an object");
            }

            if (key == Self)
            {
                if (prefix.Count == 0)
                {
                    throw new FormatException("fieldsV1 root cannot be a member");
                }

                paths.Add(prefix);
                continue;
            }

            FieldSetPath path = prefix.Append(FieldPathElement.Canonicalize(key));
            if (child.Count == 0)
            {
                paths.Add(path);
            }
            else
            {
                ParseNode(child, path, paths);
            }
        }
    }

    private sealed class Node
    {
        public bool Member { get; set; }

        public SortedDictionary<string, Node> Children { get; } =
            new(Comparer<string>.Create(FieldPathElement.Compare));

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Member && Children.Count > 0)
            {
                json[Self] = new JsonObject();
            }

            foreach ((string element, Node child) in Children)
            {
                json[element] = child.ToJson();
            }

            return json;
        }
    }
}
