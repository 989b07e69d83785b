using System.Text;
using Orchestrator.Api.Errors;
using Orchestrator.Api.Registry;
using Orchestrator.Server.Nodes;

namespace Orchestrator.Server.Resources;

// GET pods/{name}/log: find the pod's node and proxy the agent's /containerLogs, streaming (one flush per chunk, so a
// followed log reaches kubectl line by line). An unreachable agent is a 503 (before any byte) and never a 500.
partial class ResourceHandler
{
    private static readonly string[] LogParameters = ["follow", "tailLines", "sinceSeconds", "sinceTime", "timestamps", "previous", "limitBytes"];

    /// <summary>The agent serving a pod's container: the pod's node's address, and the container (defaulted when the pod has one).</summary>
    private async Task<(Uri Address, string Container, string NodeName)> AgentTargetAsync(ResourceRequest request, string purpose, CancellationToken token)
    {
        var name = request.Info.Name!;
        var pod = await objects.GetAsync(request.Key, local: false, token)
            ?? throw ApiException.NotFound(request.Resource.GroupResource, name);
        var names = (pod.Arr("spec", "containers") ?? []).Select(c => c.Str("name") ?? "").ToArray();
        var container = request.Context.Request.Query["container"].ToString();
        if (string.IsNullOrEmpty(container))
        {
            if (names.Length != 1)
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', names)}]");
            container = names[0];
        }
        else if (!names.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }
        var nodeName = pod.Str("spec", "nodeName");
        if (string.IsNullOrEmpty(nodeName))
            throw ApiException.BadRequest($"pod {name} does not have a host assigned");
        var nodes = BuiltInResources.All.First(r => r.Group == "" && r.Plural == "nodes");
        var node = await objects.GetAsync(ObjectStore.Key(nodes, null, nodeName), local: false, token)
            ?? throw ApiException.ServiceUnavailable($"node {nodeName} of pod {name} is not found");
        var address = NodeConnections.AgentAddress(node)
            ?? throw ApiException.BadRequest($"node {nodeName} of pod {name} runs no node agent that {purpose}");
        return (address, container, nodeName);
    }

    private async Task GetLogAsync(ResourceRequest request)
    {
        var token = request.Token;
        var name = request.Info.Name!;
        var query = request.Context.Request.Query;
        var (address, container, nodeName) = await AgentTargetAsync(request, "serves logs", token);
        var target = new StringBuilder($"containerLogs/{Uri.EscapeDataString(request.Info.Namespace!)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}");
        var separator = '?';
        foreach (var parameter in LogParameters)
        {
            if (query[parameter].ToString() is { Length: > 0 } value)
            {
                target.Append(separator).Append(parameter).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }
        HttpResponseMessage upstream;
        try
        {
            upstream = await agents.GetAsync(new Uri(address, target.ToString()), HttpCompletionOption.ResponseHeadersRead, token);
        }
        catch (HttpRequestException e)
        {
            throw ApiException.ServiceUnavailable($"the node agent of {nodeName} could not be reached: {e.Message}");
        }
        using (upstream)
        {
            var response = request.Context.Response;
            if (!upstream.IsSuccessStatusCode)
            {
                var text = await upstream.Content.ReadAsStringAsync(token);
                var code = (int)upstream.StatusCode;
                throw new ApiException(Status.Failed(code is 404 ? 404 : code is >= 400 and < 500 ? 400 : 503,
                    code is 404 ? StatusReasons.NotFound : code is >= 400 and < 500 ? StatusReasons.BadRequest : StatusReasons.ServiceUnavailable, text.Trim()));
            }
            response.StatusCode = 200;
            response.ContentType = "text/plain";
            await using var body = await upstream.Content.ReadAsStreamAsync(token);
            var buffer = new byte[16 * 1024];
            int read;
            try
            {
                while ((read = await body.ReadAsync(buffer, token)) > 0)
                {
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), token);
                    await response.Body.FlushAsync(token);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !token.IsCancellationRequested)
            {
                // The agent went away mid-stream: the response has started, so just end it.
            }
        }
    }
}
