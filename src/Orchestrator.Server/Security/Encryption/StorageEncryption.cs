using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Orchestrator.Server.Security.Encryption;

/// <summary>
/// Encryption at rest from an EncryptionConfiguration file (--encryption-provider-config), as kube-apiserver reads it:
/// values of the listed resources ("secrets", "widgets.example.com", "*.apps", "*.*") are sealed before they are
/// proposed, so the Raft log, the FASTER store and snapshots on every replica hold only ciphertext, and opened on
/// every read path (get, list, watch). Without a file nothing is encrypted.
/// </summary>
public sealed class StorageEncryption : IDisposable
{
    private readonly List<(string[] Resources, ResourceEncryption Encryption)> rules;
    private readonly List<AesGcmKey> keys;

    private StorageEncryption(List<(string[], ResourceEncryption)> rules, List<AesGcmKey> keys)
    {
        this.rules = rules;
        this.keys = keys;
    }

    public static StorageEncryption None { get; } = new([], []);

    public bool IsEnabled => rules.Count > 0;

    /// <summary>Reads the file; every mistake in it is an error naming the file, so a replica never starts half-configured.</summary>
    public static StorageEncryption Load(string? path)
    {
        if (path is null)
            return None;
        EncryptionConfigurationFile file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                .Deserialize<EncryptionConfigurationFile?>(File.ReadAllText(path)) ?? new EncryptionConfigurationFile();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidOperationException($"{path}: {e.Message}", e);
        }
        if (file.ApiVersion != "apiserver.config.k8s.io/v1" || file.Kind != "EncryptionConfiguration")
            throw new InvalidOperationException($"{path}: expected apiVersion apiserver.config.k8s.io/v1 and kind EncryptionConfiguration");
        var keys = new List<AesGcmKey>();
        var rules = new List<(string[], ResourceEncryption)>();
        try
        {
            foreach (var (rule, index) in (file.Resources ?? []).Select((r, i) => (r, i)))
            {
                var at = $"{path}: resources[{index}]";
                if (rule.Resources is not { Count: > 0 } || rule.Providers is not { Count: > 0 })
                    throw new InvalidOperationException($"{at}: needs resources and providers");
                AesGcmKey? writer = null;
                var ruleKeys = new List<AesGcmKey>();
                foreach (var (provider, p) in rule.Providers.Select((x, i) => (x, i)))
                {
                    if (provider.Aescbc is not null || provider.Secretbox is not null || provider.Kms is not null)
                        throw new InvalidOperationException($"{at}.providers[{p}]: only aesgcm and identity are supported");
                    if (provider.Aesgcm is { } aesgcm)
                    {
                        foreach (var named in aesgcm.Keys ?? [])
                            ruleKeys.Add(Key(named, $"{at}.providers[{p}]", ruleKeys));
                        if (p == 0)
                            writer = ruleKeys.FirstOrDefault() ?? throw new InvalidOperationException($"{at}.providers[0]: aesgcm needs at least one key");
                    }
                    else if (provider.Identity is null)
                        throw new InvalidOperationException($"{at}.providers[{p}]: names no provider");
                }
                keys.AddRange(ruleKeys);
                rules.Add(([.. rule.Resources.Select(r => r.ToLowerInvariant())], new ResourceEncryption(writer, ruleKeys)));
            }
        }
        catch
        {
            foreach (var key in keys)
                key.Dispose();
            throw;
        }
        return new StorageEncryption(rules, keys);
    }

    /// <summary>
    /// Writes a configuration that seals Secrets with a new random 256-bit key, unless <paramref name="path"/> exists
    /// (the key must outlive restarts: losing it loses every Secret). Readable by its owner only.
    /// </summary>
    public static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
            return;
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var text = $$"""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: [secrets]
                providers:
                  - aesgcm:
                      keys:
                        - name: key1
                          secret: {{secret}}
                  - identity: {}

            """;
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: false);
    }

    /// <summary>
    /// Whether values under this key prefix may be sealed: false for one resource no rule lists, so its lists and watches
    /// skip the per-item check; true for a prefix wider than one resource when any rule exists.
    /// </summary>
    public bool Covers(string storagePrefix) =>
        IsEnabled && (storagePrefix.Split('/', 5) is not [_, "registry", _, { Length: > 0 }, ..] || For(storagePrefix) is not null);

    public byte[] Seal(string storageKey, byte[] plaintext) => For(storageKey) is { } encryption ? encryption.Seal(storageKey, plaintext) : plaintext;

    public byte[] Open(string storageKey, byte[] stored) => For(storageKey) is { } encryption ? encryption.Open(storageKey, stored) : stored;

    public void Dispose()
    {
        foreach (var key in keys)
            key.Dispose();
    }

    /// <summary>The rule for a /registry/{core|group}/{plural}/... key: the first that lists the resource, its group's "*.group", or "*.*".</summary>
    private ResourceEncryption? For(string storageKey)
    {
        if (rules.Count == 0)
            return null;
        var parts = storageKey.Split('/', 5);
        if (parts.Length < 4 || parts[1] != "registry")
            return null;
        var group = parts[2] == "core" ? "" : parts[2];
        var resource = group.Length == 0 ? parts[3] : $"{parts[3]}.{group}";
        foreach (var (resources, encryption) in rules)
        {
            if (resources.Any(r => r == resource || r == $"*.{group}" || r == "*.*"))
                return encryption;
        }
        return null;
    }

    private static AesGcmKey Key(EncryptionConfigurationFile.NamedKey named, string at, List<AesGcmKey> others)
    {
        if (string.IsNullOrEmpty(named.Name) || named.Name.Contains(':'))
            throw new InvalidOperationException($"{at}: every key needs a name without ':'");
        if (others.Any(k => k.Name == named.Name))
            throw new InvalidOperationException($"{at}: key name {named.Name} is used twice");
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(named.Secret ?? "");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{at}: key {named.Name}: secret is not base64");
        }
        if (secret.Length is not (16 or 24 or 32))
            throw new InvalidOperationException($"{at}: key {named.Name}: secret must be 16, 24 or 32 bytes, not {secret.Length}");
        return new AesGcmKey(named.Name, secret);
    }
}
