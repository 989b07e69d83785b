namespace Orchestrator.Api.Validation;

/// <summary>
/// Builds names from generateName: the prefix (cut so the whole fits in 63 characters)
/// plus five random characters from an alphabet without vowels or look-alikes, as Kubernetes
/// does, so generated names never spell words and survive DNS-label rules.
/// </summary>
public sealed class NameGenerator
{
    public const int RandomLength = 5;
    public const int MaxGeneratedNameLength = 63;

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly Random _random;

    /// <param name="random">Injected so tests are deterministic; share one per thread (Random is not thread-safe), or pass Random.Shared.</param>
    public NameGenerator(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    public string Generate(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        int maxPrefix = MaxGeneratedNameLength - RandomLength;
        string head = prefix.Length > maxPrefix ? prefix[..maxPrefix] : prefix;
        return string.Create(head.Length + RandomLength, (head, _random), static (span, state) =>
        {
            state.head.AsSpan().CopyTo(span);
            for (int i = state.head.Length; i < span.Length; i++)
            {
                span[i] = Alphabet[state._random.Next(Alphabet.Length)];
            }
        });
    }
}
