using System.Net;

namespace Orchestrator.Node.Network;

/// <summary>
/// Hands out pod addresses from a range and remembers them on disk, one file per address named after it
/// and holding the pod id (the layout of CNI's host-local IPAM). Creating a file is the reservation: it
/// is atomic (CreateNew), survives an agent restart, and a crashed agent leaves nothing half-written
/// that a directory listing would not show.
/// </summary>
public sealed class IpAllocator
{
    private readonly Ipv4Cidr range;
    private readonly string directory;
    private readonly SemaphoreSlim gate = new(1, 1);

    public IpAllocator(Ipv4Cidr range, string directory)
    {
        this.range = range;
        this.directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <summary>The pod's address: the one it already holds (after an agent restart) or the lowest free one.</summary>
    /// <exception cref="InvalidOperationException">The range is exhausted.</exception>
    public async Task<IPAddress> AllocateAsync(string podId, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await FindAsync(podId, cancellationToken).ConfigureAwait(false) is { } existing)
                return existing;
            foreach (var address in range.PodAddresses())
            {
                try
                {
                    await using var file = new FileStream(Path.Combine(directory, address.ToString()), FileMode.CreateNew, FileAccess.Write);
                    await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(podId), cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return address;
                }
                catch (IOException) when (File.Exists(Path.Combine(directory, address.ToString())))
                {
                    // Taken; try the next one.
                }
            }
            throw new InvalidOperationException($"no free pod address left in {range}");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Frees whatever the pod holds; freeing twice is fine.</summary>
    public async Task ReleaseAsync(string podId, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (await FindAsync(podId, cancellationToken).ConfigureAwait(false) is { } address)
                File.Delete(Path.Combine(directory, address.ToString()));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Pod id by address, as persisted.</summary>
    public async Task<IReadOnlyDictionary<IPAddress, string>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<IPAddress, string>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (IPAddress.TryParse(Path.GetFileName(file), out var address) && range.Contains(address))
                result[address] = (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
        }
        return result;
    }

    private async Task<IPAddress?> FindAsync(string podId, CancellationToken cancellationToken)
    {
        foreach (var (address, owner) in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (owner == podId)
                return address;
        }
        return null;
    }
}
