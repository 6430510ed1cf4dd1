using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Plaza.Common;

/// <summary>
/// RFC 9457 problem details that Plaza returns. Each refusal has a stable <c>type</c> URN so
/// clients can branch on it, a human title, and where it concerns fields, an <c>errors</c> map.
/// Title, detail and field messages are in the request's language: callers word the detail and
/// messages with <see cref="Text.Say(string)"/>, the title is worded here.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:plaza:problem:";

    public static ProblemHttpResult Conflict(string code, string detail, IDictionary<string, string[]>? errors = null) =>
        Make(StatusCodes.Status409Conflict, code, detail, errors);

    public static ProblemHttpResult NotFound(string detail) =>
        Make(StatusCodes.Status404NotFound, "not-found", detail);

    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        Make(StatusCodes.Status400BadRequest, "invalid-request", detail ?? Text.Say("One or more fields are invalid."), errors);

    public static ProblemHttpResult Unprocessable(string code, string detail) =>
        Make(StatusCodes.Status422UnprocessableEntity, code, detail);

    /// <summary>What a problem says, in one line for a page's flash message: its field errors, else its detail.</summary>
    public static string Say(ProblemHttpResult problem) =>
        problem.ProblemDetails is HttpValidationProblemDetails { Errors.Count: > 0 } invalid
            ? string.Join(" ", invalid.Errors.SelectMany(e => e.Value))
            : problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "";

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
            title: Title(code),
            type: TypePrefix + code,
            extensions: extensions);
    }

    /// <summary>The title of a problem type, in the current UI culture.</summary>
    public static string Title(string code) => Text.Say(Titles.GetValueOrDefault(code) ?? Text.Key("The request was refused"));

    /// <summary>Every problem type Plaza's own code returns, with its title (a test words each in every language).</summary>
    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["invalid-request"] = Text.Key("The request is invalid"),
        ["not-found"] = Text.Key("Not found"),
        ["shop-closed"] = Text.Key("The shop is closed"),
        ["shop-paused"] = Text.Key("The shop is not taking orders right now"),
        ["too-many-devices"] = Text.Key("Too many devices"),
        ["shop-unattended"] = Text.Key("Nobody at the shop is watching for orders right now"),
        ["sold-out"] = Text.Key("Sold out"),
        ["slot-unavailable"] = Text.Key("That time is not available"),
        ["table-unavailable"] = Text.Key("No table is free at that time"),
        ["reservations-off"] = Text.Key("No reservations online"),
        ["reservation-closed"] = Text.Key("The reservation can no longer be changed online"),
        ["reservation-changed"] = Text.Key("The reservation was changed meanwhile"),
        ["price-changed"] = Text.Key("Prices have changed"),
        ["idempotency-key-reused"] = Text.Key("Idempotency key reused with a different request"),
        ["illegal-transition"] = Text.Key("That status change is not allowed"),
        ["order-type-not-offered"] = Text.Key("That order type is not offered"),
        ["outside-delivery-area"] = Text.Key("Outside the delivery area"),
        ["below-minimum"] = Text.Key("Below the minimum order"),
        ["unavailable"] = Text.Key("Temporarily unavailable"),
        ["too-many-streams"] = Text.Key("Too many live streams open"),
        ["too-large"] = Text.Key("The request is too large"),
        ["unsupported-media-type"] = Text.Key("That content type is not accepted here"),
        ["rate-limited"] = Text.Key("Too many requests"),
        ["gone"] = Text.Key("Gone"),
        ["blocked"] = Text.Key("Blocked"),
        ["unauthorized"] = Text.Key("Sign-in required"),
        ["forbidden"] = Text.Key("Not allowed"),
        ["passkey-refused"] = Text.Key("The passkey was not accepted"),
        ["cancelled"] = Text.Key("The request was cancelled"),
        ["internal"] = Text.Key("Something went wrong"),
    };

    /// <summary>
    /// Words problem details the framework writes itself (a 404 for no route, a 405) in the request's language. A problem
    /// written outside the localisation middleware (the exception handler runs around it) takes the request's language first.
    /// </summary>
    public static void Localise(ProblemDetailsContext context)
    {
        if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Localization.IRequestCultureFeature>() is { } chosen)
        {
            System.Globalization.CultureInfo.CurrentCulture = chosen.RequestCulture.Culture;
            System.Globalization.CultureInfo.CurrentUICulture = chosen.RequestCulture.UICulture;
        }
        var problem = context.ProblemDetails;
        if (problem.Type is not null && problem.Type.StartsWith(TypePrefix, StringComparison.Ordinal))
        {
            // Worded already where it was made, or an English key (the exception handler's): either way its words now.
            problem.Title = problem.Title is null ? null : Text.Say(problem.Title);
            problem.Detail = problem.Detail is null ? null : Text.Say(problem.Detail);
        }
        else if (problem.Status is { } status)
        {
            problem.Title = Text.Say(StatusTitle(status));
        }
    }

    private static string StatusTitle(int status) => status switch
    {
        400 => Text.Key("The request is invalid"),
        401 => Text.Key("Sign-in required"),
        403 => Text.Key("Not allowed"),
        404 => Text.Key("Not found"),
        405 => Text.Key("That method is not allowed here"),
        406 => Text.Key("No answer in an accepted format"),
        409 => Text.Key("Conflict"),
        413 => Text.Key("The request is too large"),
        415 => Text.Key("That content type is not accepted here"),
        429 => Text.Key("Too many requests"),
        503 => Text.Key("Temporarily unavailable"),
        _ => status >= 500 ? Text.Key("Something went wrong") : Text.Key("The request was refused"),
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
            BadHttpRequestException bad => (bad.StatusCode, "invalid-request", Text.Key("The request could not be read.")),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "cancelled", Text.Key("The request was cancelled.")),
            _ when IsStoreUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "unavailable", Text.Key("The store is temporarily unavailable; try again shortly.")),
            _ => (StatusCodes.Status500InternalServerError, "internal", Text.Key("Something went wrong on our side.")),
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
            // Worded in Problems.Localise, which takes the request's language first: this handler runs outside the localisation middleware.
            ProblemDetails = { Status = status, Title = Problems.Titles.GetValueOrDefault(code), Type = Problems.TypePrefix + code, Detail = detail },
        });
    }

    private static bool IsStoreUnavailable(Exception exception) =>
        exception is System.Data.Common.DbException or TimeoutException
        || exception.InnerException is System.Data.Common.DbException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
