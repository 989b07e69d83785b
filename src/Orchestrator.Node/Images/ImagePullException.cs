namespace Orchestrator.Node.Images;

/// <summary>Why a pull failed, so the agent can choose ErrImagePull/ImagePullBackOff or ErrImageNeverPull and retry policy.</summary>
public enum ImagePullFailure
{
    /// <summary>The repository, tag or digest does not exist (or no manifest for this platform).</summary>
    NotFound,
    /// <summary>The registry refused our credentials (401/403).</summary>
    Unauthorized,
    /// <summary>The registry could not be reached or broke the connection; worth retrying.</summary>
    Network,
    /// <summary>Content did not match its digest or size: corrupt or tampered.</summary>
    DigestMismatch,
    /// <summary>The image uses a format this store cannot read (schema 1, zstd layers, unknown media types).</summary>
    Unsupported,
    /// <summary>Pull policy Never and the image is not in the store.</summary>
    NotPresent,
    /// <summary>The reference itself is malformed.</summary>
    InvalidReference,
    /// <summary>The registry answered with an unexpected error.</summary>
    Registry,
}

/// <summary>An image could not be pulled or unpacked; the message reads like the kubelet's event text.</summary>
public sealed class ImagePullException : Exception
{
    public ImagePullException(ImagePullFailure reason, string image, string detail, Exception? inner = null)
        : base(reason == ImagePullFailure.NotPresent ? detail : $"failed to pull and unpack image \"{image}\": {detail}", inner)
    {
        Reason = reason;
        Image = image;
    }

    public ImagePullFailure Reason { get; }

    /// <summary>The image as named (normalized when it parsed).</summary>
    public string Image { get; }

    /// <summary>The container waiting reason Kubernetes shows for this failure.</summary>
    public string WaitingReason => Reason switch
    {
        ImagePullFailure.NotPresent => "ErrImageNeverPull",
        ImagePullFailure.InvalidReference => "InvalidImageName",
        _ => "ErrImagePull",
    };
}
