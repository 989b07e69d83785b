namespace Orchestrator.Server.Security.Encryption;

/// <summary>
/// The apiserver.config.k8s.io/v1 EncryptionConfiguration file as YAML gives it: resources, each with an ordered list
/// of providers (the first encrypts writes; every one is tried to read).
/// </summary>
internal sealed class EncryptionConfigurationFile
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public List<ResourceRule>? Resources { get; set; }

    internal sealed class ResourceRule
    {
        public List<string>? Resources { get; set; }

        public List<Provider>? Providers { get; set; }
    }

    internal sealed class Provider
    {
        public KeyList? Aesgcm { get; set; }

        public Dictionary<string, object>? Identity { get; set; }

        // Named so that a file written for kube-apiserver fails with a clear message rather than an unknown-field error.
        public object? Aescbc { get; set; }

        public object? Secretbox { get; set; }

        public object? Kms { get; set; }
    }

    internal sealed class KeyList
    {
        public List<NamedKey>? Keys { get; set; }
    }

    internal sealed class NamedKey
    {
        public string? Name { get; set; }

        public string? Secret { get; set; }
    }
}
