using Orchestrator.Server.Security.Authorization;

namespace Orchestrator.Server.Security.Audit;

/// <summary>One finished write, as an audit.k8s.io/v1 Event at Metadata level carries it (no bodies).</summary>
public sealed record AuditEvent(
    string AuditId,
    string RequestUri,
    UserInfo User,
    UserInfo? ImpersonatedUser,
    AuthorizationAttributes Attributes,
    string? SourceIp,
    string? UserAgent,
    int Code,
    DateTimeOffset Received,
    DateTimeOffset Completed);
