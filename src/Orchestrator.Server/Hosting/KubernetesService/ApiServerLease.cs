using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Controllers.Election;

namespace Orchestrator.Server.Hosting;

/// <summary>
/// The identity Lease each replica keeps in kube-system (kube-apiserver's "apiserver-…" leases, labelled
/// apiserver.kubernetes.io/identity=kube-apiserver), carrying the API address the replica serves on. The set of
/// unexpired leases is the set of live replicas: it is what the kubernetes Endpoints are rewritten from.
/// </summary>
public static class ApiServerLease
{
    public const string Namespace = "kube-system";
    public const string IdentityLabel = "apiserver.kubernetes.io/identity";
    public const string IdentityValue = "kube-apiserver";
    public const string Selector = IdentityLabel + "=" + IdentityValue;

    /// <summary>Where the replica serves the API (ip:port). Kube keeps it in its endpoint leases; here it rides on the identity lease.</summary>
    public const string AddressAnnotation = "orchestrator.io/apiserver-address";

    /// <summary>
    /// "apiserver-" and a hash of host and API endpoint: stable across restarts of one replica (its lease is reused, not
    /// leaked), distinct for replicas sharing a host (kube hashes the host name alone: one apiserver per host).
    /// </summary>
    public static string NameFor(string host, IPEndPoint api)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{host}|{api}"));
        return "apiserver-" + Convert.ToHexStringLower(hash.AsSpan(0, 10));
    }

    /// <summary>The lease renewed at <paramref name="now"/>: a new object, or <paramref name="current"/> with its resourceVersion kept.</summary>
    public static JsonObject Renewed(JsonObject? current, string name, string holder, string host, IPEndPoint address, TimeSpan duration, DateTimeOffset now)
    {
        var lease = current?.Copy() ?? new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        };
        var metadata = lease.Child("metadata");
        var labels = metadata.Child("labels");
        labels[IdentityLabel] = IdentityValue;
        labels["kubernetes.io/hostname"] = host;
        metadata.Child("annotations")[AddressAnnotation] = address.ToString();
        var stamp = LeaderElector.MicroTime(now);
        var sameHolder = current.Str("spec", "holderIdentity") == holder;
        lease["spec"] = new JsonObject
        {
            ["holderIdentity"] = holder,
            ["leaseDurationSeconds"] = (int)Math.Ceiling(duration.TotalSeconds),
            ["acquireTime"] = sameHolder && current.Str("spec", "acquireTime") is { } acquired ? acquired : stamp,
            ["renewTime"] = stamp,
        };
        return lease;
    }

    /// <summary>How long after expiry a lease is deleted (kube-apiserver's identity lease GC waits an hour too).</summary>
    public static readonly TimeSpan DeleteAfter = TimeSpan.FromHours(1);

    /// <summary>Leases expired for longer than <see cref="DeleteAfter"/>: replicas gone for good (or moved to another address).</summary>
    public static IEnumerable<JsonObject> Abandoned(IEnumerable<JsonObject> leases, DateTimeOffset now) =>
        leases.Where(lease => !lease.IsDeleting()
            && lease.Time("spec", "renewTime") is { } renewed
            && renewed + TimeSpan.FromSeconds(lease.Long("spec", "leaseDurationSeconds") ?? 0) + DeleteAfter <= now);

    /// <summary>
    /// The API addresses of the leases not expired at <paramref name="now"/> (renewTime + leaseDurationSeconds), in a
    /// stable order so every replica computes the same Endpoints. Leases without a parsable address are skipped.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> LiveAddresses(IEnumerable<JsonObject> leases, DateTimeOffset now)
    {
        var live = new HashSet<IPEndPoint>();
        foreach (var lease in leases)
        {
            if (lease.IsDeleting()
                || lease.Time("spec", "renewTime") is not { } renewed
                || lease.Long("spec", "leaseDurationSeconds") is not { } seconds
                || renewed + TimeSpan.FromSeconds(seconds) <= now
                || !IPEndPoint.TryParse(lease.Str("metadata", "annotations", AddressAnnotation) ?? "", out var address)
                || address.Port == 0)
                continue;
            live.Add(address);
        }
        return [.. live.OrderBy(a => a.Port).ThenBy(a => a.Address.ToString(), StringComparer.Ordinal)];
    }
}
