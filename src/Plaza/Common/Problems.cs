using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Plaza.Common;

/// <summary>
/// RFC 9457 problem details that Plaza returns. Each refusal has a stable <c>type</c> URN so
/// clients can branch on it, a human title, and where it concerns fields, an <c>errors</c> map.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:plaza:problem:";

    public static ProblemHttpResult Conflict(string code, string detail, IDictionary<string, string[]>? errors = null) =>
        Make(StatusCodes.Status409Conflict, code, detail, errors);

    public static ProblemHttpResult NotFound(string detail) =>
        Make(StatusCodes.Status404NotFound, "not-found", detail);

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, string detail = "One or more fields are invalid.") =>
        Make(StatusCodes.Status400BadRequest, "invalid-request", detail, errors);

    public static ProblemHttpResult Unprocessable(string code, string detail) =>
        Make(StatusCodes.Status422UnprocessableEntity, code, detail);

    public static ProblemHttpResult Make(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (errors is { Count: > 0 })
        {
            extensions["errors"] = errors;
        }
        return TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: Titles.GetValueOrDefault(code, code.Replace('-', ' ')),
            type: TypePrefix + code,
            extensions: extensions);
    }

    private static readonly Dictionary<string, string> Titles = new()
    {
        ["invalid-request"] = "The request is invalid",
        ["not-found"] = "Not found",
        ["shop-closed"] = "The shop is closed",
        ["shop-paused"] = "The shop is not taking orders right now",
        ["sold-out"] = "Sold out",
        ["slot-unavailable"] = "That time is not available",
        ["price-changed"] = "Prices have changed",
        ["idempotency-key-reused"] = "Idempotency key reused with a different request",
        ["illegal-transition"] = "That status change is not allowed",
        ["order-type-not-offered"] = "That order type is not offered",
        ["outside-delivery-area"] = "Outside the delivery area",
        ["below-minimum"] = "Below the minimum order",
        ["unavailable"] = "Temporarily unavailable",
        ["too-many-streams"] = "Too many live streams open",
    };
}

/// <summary>Maps whatever escaped a handler to a problem detail; never a stack trace.</summary>
public sealed partial class UnhandledExceptionToProblem(IProblemDetailsService problems, ILogger<UnhandledExceptionToProblem> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "invalid-request", "The request could not be read."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "cancelled", "The request was cancelled."),
            _ when IsStoreUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "unavailable", "The store is temporarily unavailable; try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "internal", "Something went wrong on our side."),
        };
        if (status >= 500)
        {
            LogUnhandled(log, exception, httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = detail, Type = Problems.TypePrefix + code, Detail = detail },
        });
    }

    private static bool IsStoreUnavailable(Exception exception) =>
        exception is System.Data.Common.DbException or TimeoutException
        || exception.InnerException is System.Data.Common.DbException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
