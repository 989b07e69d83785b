using System.Text;
using Orchestrator.Api.Errors;
using Orchestrator.Server.Nodes;

namespace Orchestrator.Server.Http.Rest;

// GET pods/{name}/log: find the pod's node and proxy the agent's /containerLogs, streaming (one flush per chunk, so a
// followed log reaches kubectl line by line). An unreachable agent is a 503 (before any byte) and never a 500.
public sealed class LogRest(PodAgents pods) : ISubresourceRest
{
    private static readonly string[] LogParameters = ["follow", "tailLines", "sinceSeconds", "sinceTime", "timestamps", "previous", "limitBytes"];

    public async Task HandleAsync(RestRequest request)
    {
        var token = request.Token;
        var name = request.Name;
        var query = request.Context.Request.Query;
        var (address, container, nodeName) = await pods.TargetAsync(request, "serves logs", token);
        var target = new StringBuilder($"containerLogs/{Uri.EscapeDataString(request.Info.Namespace!)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}");
        var separator = '?';
        foreach (var parameter in LogParameters)
        {
            if (query[parameter].ToString() is { Length: > 0 } value)
            {
                target.Append(separator).Append(parameter).Append('=').Append(Uri.EscapeDataString(RestRequest.Normalized(parameter, value)));
                separator = '&';
            }
        }
        HttpResponseMessage upstream;
        try
        {
            upstream = await pods.Connections.GetAsync(new Uri(address, target.ToString()), HttpCompletionOption.ResponseHeadersRead, token);
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
