using System.Text.Json.Nodes;

namespace Orchestrator.Server.Tests.Conformance;

/// <summary>How a DELETE of one object of a kind ends.</summary>
/// <param name="Graceful">
/// False: the object is gone when DELETE answers (a later GET through another replica is 404). True: DELETE answers 200
/// with the object marked (metadata.deletionTimestamp) and a controller finishes the deletion within a bounded time.
/// </param>
/// <param name="TerminatingPhase">The status.phase the marked object shows (namespaces: "Terminating").</param>
public sealed record DeletionExpectation(bool Graceful, string? TerminatingPhase = null)
{
    public static DeletionExpectation Immediate { get; } = new(false);

    public static DeletionExpectation Finalized(string? phase = null) => new(true, phase);
}

/// <summary>
/// A kind's status subresource case: writing <see cref="SpecPointer"/> through .../status is ignored, writing
/// <see cref="StatusPointer"/> through the main resource is ignored, and through .../status it is stored.
/// </summary>
/// <param name="StatusValues">Two values different from what the server or a controller would write there.</param>
public sealed record StatusCase(string SpecPointer, JsonNode SpecValue, string StatusPointer, JsonNode[] StatusValues);

/// <summary>
/// One row of the conformance table: a minimal valid object of a kind and a mutation of it. The test steps are the
/// same for every row; what differs between kinds is written here as data, not as conditions in the steps.
/// </summary>
public sealed record KindFixture
{
    /// <summary>"group/version/plural", "v1/plural" for the core group (see <see cref="ConformanceKinds.Key"/>).</summary>
    public required string Resource { get; init; }

    /// <summary>The minimal valid object named <c>name</c> (in namespace <c>ns</c>, null for cluster-scoped kinds).</summary>
    public required Func<string, string?, JsonObject> Make { get; init; }

    /// <summary>The object name for a unique base name, for kinds whose names have a required form (CRDs).</summary>
    public Func<string, string> Name { get; init; } = name => name;

    /// <summary>
    /// JSON pointer to a field the object made by <see cref="Make"/> already has, which every write may change. The
    /// steps write <see cref="Values"/>[0] by PUT, [1] by merge patch, [2] by JSON patch, [3] by strategic merge patch and
    /// [4] by server-side apply; consecutive values differ, and [0] differs from the initial one.
    /// </summary>
    public required string Pointer { get; init; }

    public required JsonNode[] Values { get; init; }

    /// <summary>
    /// Objects (collection path, body) created before each object of the kind, for kinds a controller removes when they
    /// stand alone: an Endpoints object belongs to a Service of its name.
    /// </summary>
    public Func<string, string?, (string Collection, JsonObject Body)[]> Companions { get; init; } = (_, _) => [];

    /// <summary>Required exactly when the kind has a status subresource.</summary>
    public StatusCase? Status { get; init; }

    public DeletionExpectation Deletion { get; init; } = DeletionExpectation.Immediate;

    /// <summary>
    /// A body of another kind: built-in kinds fail decoding (kube-apiserver: 400 BadRequest "X in version "v1" cannot be
    /// handled as a Y"); custom resources decode as unstructured and fail validation (422 Invalid, cause field "kind":
    /// "Invalid value: "X": must be Y").
    /// </summary>
    public bool WrongKindIsInvalid { get; init; }

    /// <summary>Strategic merge patch is defined for built-in kinds only; custom resources answer 415.</summary>
    public bool StrategicMerge { get; init; } = true;
}
