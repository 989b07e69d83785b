using Orchestrator.Api.Errors;

namespace Orchestrator.Server.Resources;

/// <summary>
/// The one retry rule of every read-modify-write (update, patch, status, scale, binding, finalize, delete, eviction):
/// a compare-and-swap that lost to a concurrent write is done again from a fresh read, a bounded number of times.
/// What <c>retryable</c> refuses (a conflict with a revision the client pinned) is final at once.
/// </summary>
public static class ConflictRetry
{
    public const int Attempts = 8;

    /// <summary>Runs <paramref name="attempt"/> (given its 1-based number) until it returns, or fails in a way not retried.</summary>
    public static async Task<T> RunAsync<T>(Func<int, Task<T>> attempt, Func<ApiException, bool> retryable)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number);
            }
            catch (ApiException e) when (number < Attempts && retryable(e))
            {
                // Someone wrote in between: read again and redo the change on the fresh copy.
            }
        }
    }

    public static bool IsConflict(ApiException e) => e.Reason == StatusReasons.Conflict;
}
