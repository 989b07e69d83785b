namespace Orchestrator.Api.Patching;

/// <summary>Why a patch failed, which decides the HTTP answer.</summary>
public enum PatchErrorKind
{
    /// <summary>The patch document itself is wrong (bad op, bad pointer, bad directive): 400.</summary>
    Malformed,

    /// <summary>The patch is well formed but cannot apply to this object (missing path, failed test): 422.</summary>
    Unprocessable,
}
