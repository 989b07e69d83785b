using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Orchestrator.Server.Hosting;
using Orchestrator.Server.Security.Authorization;

namespace Orchestrator.Server.Security.Audit;

/// <summary>
/// The audit log of writes (--audit-log-path): one audit.k8s.io/v1 Event per JSON line for every create, update,
/// patch, delete and deletecollection that reached authorization, allowed or not, with who asked (and as whom),
/// what, and the response code. Requests hand their event over and go on; one writer appends in order, so a
/// slow disk never slows the API. When the buffer of 10,000 events is full, newer events are dropped and counted
/// in the log, as kube's batching backend does.
/// </summary>
public sealed class AuditLog(ServerOptions options, TimeProvider time, ILogger<AuditLog> logger) : BackgroundService
{
    private static readonly HashSet<string> Writes = ["create", "update", "patch", "delete", "deletecollection"];
    private readonly Channel<AuditEvent> events = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private long dropped;

    public bool IsEnabled => options.AuditLogPath is not null;

    /// <summary>Has the request's event written once its response is complete, when it is a write.</summary>
    public void Track(HttpContext context, UserInfo authenticated, UserInfo effective, AuthorizationAttributes attributes)
    {
        if (!IsEnabled || !attributes.IsResourceRequest || !Writes.Contains(attributes.Verb))
            return;
        var received = time.GetUtcNow();
        var auditId = Guid.NewGuid().ToString();
        // The header kube-apiserver answers with, so a client can find its request in the log.
        context.Response.Headers["Audit-Id"] = auditId;
        context.Response.OnCompleted(() =>
        {
            var audit = new AuditEvent(
                auditId,
                context.Request.Path + context.Request.QueryString,
                authenticated,
                ReferenceEquals(authenticated, effective) ? null : effective,
                attributes,
                context.Connection.RemoteIpAddress?.ToString(),
                context.Request.Headers.UserAgent.ToString(),
                context.Response.StatusCode,
                received,
                time.GetUtcNow());
            if (!events.Writer.TryWrite(audit))
                Interlocked.Increment(ref dropped);
            return Task.CompletedTask;
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.AuditLogPath is not { } path)
            return;
        await using var output = path == "-" ? Console.OpenStandardOutput() : new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
        await using var writer = new Utf8JsonWriter(output);
        try
        {
            while (await events.Reader.WaitToReadAsync(stoppingToken))
            {
                while (events.Reader.TryRead(out var audit))
                {
                    Write(writer, audit);
                    await writer.FlushAsync(stoppingToken);
                    writer.Reset();
                    output.WriteByte((byte)'\n');
                }
                await output.FlushAsync(stoppingToken);
                if (Interlocked.Exchange(ref dropped, 0) is > 0 and var lost)
                    logger.LogWarning("Audit buffer full: {Count} events were not logged", lost);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is buffered and not yet written is lost with the process, as with kube's batch backend.
        }
    }

    private static void Write(Utf8JsonWriter json, AuditEvent audit)
    {
        var attributes = audit.Attributes;
        json.WriteStartObject();
        json.WriteString("kind", "Event");
        json.WriteString("apiVersion", "audit.k8s.io/v1");
        json.WriteString("level", "Metadata");
        json.WriteString("auditID", audit.AuditId);
        json.WriteString("stage", "ResponseComplete");
        json.WriteString("requestURI", audit.RequestUri);
        json.WriteString("verb", attributes.Verb);
        json.WritePropertyName("user");
        WriteUser(json, audit.User);
        if (audit.ImpersonatedUser is { } impersonated)
        {
            json.WritePropertyName("impersonatedUser");
            WriteUser(json, impersonated);
        }
        if (audit.SourceIp is { } ip)
        {
            json.WriteStartArray("sourceIPs");
            json.WriteStringValue(ip);
            json.WriteEndArray();
        }
        if (!string.IsNullOrEmpty(audit.UserAgent))
            json.WriteString("userAgent", audit.UserAgent);
        json.WriteStartObject("objectRef");
        json.WriteString("resource", attributes.Resource);
        if (attributes.Namespace.Length > 0)
            json.WriteString("namespace", attributes.Namespace);
        if (attributes.Name.Length > 0)
            json.WriteString("name", attributes.Name);
        if (attributes.ApiGroup.Length > 0)
            json.WriteString("apiGroup", attributes.ApiGroup);
        json.WriteString("apiVersion", attributes.ApiVersion);
        if (attributes.Subresource.Length > 0)
            json.WriteString("subresource", attributes.Subresource);
        json.WriteEndObject();
        json.WriteStartObject("responseStatus");
        json.WriteNumber("code", audit.Code);
        json.WriteEndObject();
        json.WriteString("requestReceivedTimestamp", Timestamp(audit.Received));
        json.WriteString("stageTimestamp", Timestamp(audit.Completed));
        json.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter json, UserInfo user)
    {
        json.WriteStartObject();
        json.WriteString("username", user.Name);
        if (user.Uid.Length > 0)
            json.WriteString("uid", user.Uid);
        json.WriteStartArray("groups");
        foreach (var group in user.Groups)
            json.WriteStringValue(group);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>RFC 3339 with microseconds, as kube's audit timestamps.</summary>
    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
