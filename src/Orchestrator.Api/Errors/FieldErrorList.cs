using System.Collections;
using Orchestrator.Api.Schema;

namespace Orchestrator.Api.Errors;

/// <summary>
/// Accumulates every field error of one object so the client gets them all in a single 422,
/// rather than fixing one field per round trip.
/// </summary>
/// <remarks>Mutable by design, owned by one validation call; not thread-safe.</remarks>
public sealed class FieldErrorList : IReadOnlyList<FieldError>
{
    private readonly List<FieldError> _errors = [];

    public int Count => _errors.Count;

    public bool IsEmpty => _errors.Count == 0;

    public FieldError this[int index] => _errors[index];

    public FieldErrorList Add(FieldError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _errors.Add(error);
        return this;
    }

    public FieldErrorList AddRange(IEnumerable<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        _errors.AddRange(errors);
        return this;
    }

    public FieldErrorList Required(FieldPath path, string detail = "") =>
        Add(new FieldError(path.ToString(), FieldErrorType.Required, null, detail, HasValue: false));

    public FieldErrorList Invalid(FieldPath path, object? value, string detail) =>
        Add(new FieldError(path.ToString(), FieldErrorType.Invalid, value, detail));

    public FieldErrorList NotSupported(FieldPath path, object? value, IEnumerable<string> supported)
    {
        string detail = "supported values: " + string.Join(", ", supported.Select(FieldError.Quote));
        return Add(new FieldError(path.ToString(), FieldErrorType.NotSupported, value, detail));
    }

    public FieldErrorList Duplicate(FieldPath path, object? value) =>
        Add(new FieldError(path.ToString(), FieldErrorType.Duplicate, value, ""));

    public FieldErrorList NotFound(FieldPath path, object? value) =>
        Add(new FieldError(path.ToString(), FieldErrorType.NotFound, value, ""));

    public FieldErrorList TooLong(FieldPath path, int maxLength)
    {
        string unit = maxLength == 1 ? "byte" : "bytes";
        return Add(new FieldError(path.ToString(), FieldErrorType.TooLong, null, $"may not be more than {maxLength} {unit}", HasValue: false));
    }

    public FieldErrorList TooMany(FieldPath path, int actual, int max) =>
        Add(new FieldError(path.ToString(), FieldErrorType.TooMany, actual, $"must have at most {max} items"));

    public FieldErrorList Forbidden(FieldPath path, string detail) =>
        Add(new FieldError(path.ToString(), FieldErrorType.Forbidden, null, detail, HasValue: false));

    /// <summary>The 422 for these errors, e.g. <c>Pod "p" is invalid: spec.containers[0].image: Required value</c>.</summary>
    public ApiException ToException(GroupKind kind, string name) => ApiException.Invalid(kind, name, _errors.ToArray());

    public void ThrowIfAny(GroupKind kind, string name)
    {
        if (_errors.Count > 0)
        {
            throw ToException(kind, name);
        }
    }

    public IEnumerator<FieldError> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
