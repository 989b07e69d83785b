namespace Orchestrator.Controllers.Election;

/// <summary>
/// Timing of lease-based leader election, as kube-controller-manager's flags: a holder renews every
/// <see cref="RetryPeriod"/>, gives up leading when it could not renew for <see cref="RenewDeadline"/>,
/// and others take over only after seeing no renewal for <see cref="LeaseDuration"/>. RenewDeadline must
/// be shorter than LeaseDuration, so a deposed holder has stopped before anyone else starts.
/// </summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }

    public string Namespace { get; init; } = "kube-system";

    /// <summary>Who this candidate is (host name and replica), written as the lease's holderIdentity.</summary>
    public required string Identity { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        if (RenewDeadline >= LeaseDuration)
            throw new ArgumentException("the renew deadline must be shorter than the lease duration");
        if (RetryPeriod >= RenewDeadline)
            throw new ArgumentException("the retry period must be shorter than the renew deadline");
    }
}
