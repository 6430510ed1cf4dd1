using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Console;

/// <summary>
/// Endpoint metadata of console pages that act for the shop in <c>{shop}</c>: the shop scope is entered
/// from the route and only the shop's members get in. Put on a page as <see cref="StaffOnlyAttribute"/>
/// or <see cref="OwnerOnlyAttribute"/>, wherever in the feature folders the page sits.
/// </summary>
#pragma warning disable CA1040 // a marker, found in endpoint metadata by its type
public interface IShopConsoleEndpoint : IShopScopedEndpoint;
#pragma warning restore CA1040

/// <summary>A console page or endpoint for the shop's staff (and its owners).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class StaffOnlyAttribute : Attribute, IShopConsoleEndpoint;

/// <summary>A console page or endpoint only the shop's owners may use; staff get 403.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OwnerOnlyAttribute : Attribute, IShopConsoleEndpoint;

/// <summary>
/// Marks the node operator's console pages (<c>/console/node/…</c>, in Moderation): only accounts granted the operator
/// role from the shell (<c>grant-operator</c>) may use them.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OperatorOnlyAttribute : Attribute;

/// <summary>The signed-in person and their role in the shop in scope, for pages to read.</summary>
public sealed class ConsoleMember
{
    public int AccountId { get; set; }
    public string Name { get; set; } = "";
    public ShopRole Role { get; set; }
    public bool IsOwner => Role == ShopRole.Owner;
    /// <summary>May use the operator's pages; known on every console page, for the navigation.</summary>
    public bool IsOperator { get; set; }
}

/// <summary>
/// The one place console access is decided. Runs after the shop scope is set: a stranger is
/// sent to sign in, a non-member gets 404 (a shop's console does not confirm it exists), and
/// staff asking for an owner-only page get 403. Handlers never check membership themselves,
/// and every query they run is filtered to the scoped shop by PlazaDb. Operator pages are refused
/// with 404 to anyone not granted the operator role, as a shop's console is to a non-member.
/// </summary>
public sealed class ConsoleAccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ShopScope scope, ConsoleMember member)
    {
        // Asked for only where a check reads the store: most requests (the storefront, the API) pass without one.
        PlazaDb Db() => context.RequestServices.GetRequiredService<PlazaDb>();
        var endpoint = context.GetEndpoint();
        var operatorOnly = endpoint?.Metadata.GetMetadata<OperatorOnlyAttribute>() is not null;
        var signedInId = context.User.Identity?.IsAuthenticated == true ? ConsoleUser.AccountId(context.User) : null;
        if (signedInId is { } signedIn && context.Request.Path.StartsWithSegments("/console"))
        {
            member.IsOperator = await Db().Accounts.AsNoTracking().AnyAsync(a => a.Id == signedIn && a.IsOperator, context.RequestAborted);
        }
        if (operatorOnly)
        {
            if (signedInId is null)
            {
                await Refuse(context, StatusCodes.Status401Unauthorized);
                return;
            }
            if (!member.IsOperator)
            {
                await Refuse(context, StatusCodes.Status404NotFound, Text.Say("There is no such page in your console."));
                return;
            }
            member.AccountId = signedInId.Value;
            member.Name = context.User.Identity!.Name ?? "";
            await next(context);
            return;
        }
        if (endpoint?.Metadata.GetMetadata<IShopConsoleEndpoint>() is null)
        {
            await next(context);
            return;
        }
        if (signedInId is not { } accountId)
        {
            await Refuse(context, StatusCodes.Status401Unauthorized);
            return;
        }
        var membership = await Db().Memberships.AsNoTracking()
            .Where(m => m.AccountId == accountId)
            .Select(m => new { m.Role })
            .FirstOrDefaultAsync(context.RequestAborted);
        if (membership is null)
        {
            await Refuse(context, StatusCodes.Status404NotFound);
            return;
        }
        if (endpoint.Metadata.GetMetadata<OwnerOnlyAttribute>() is not null && membership.Role != ShopRole.Owner)
        {
            await Refuse(context, StatusCodes.Status403Forbidden);
            return;
        }
        member.AccountId = accountId;
        member.Name = context.User.Identity!.Name ?? "";
        member.Role = membership.Role;
        await next(context);
    }

    private static async Task Refuse(HttpContext context, int status, string? notFound = null)
    {
        if (status == StatusCodes.Status401Unauthorized && HttpMethods.IsGet(context.Request.Method) && !IsEventStream(context))
        {
            context.Response.Redirect("/console/sign-in?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return;
        }
        var (code, detail) = status switch
        {
            StatusCodes.Status401Unauthorized => ("unauthorized", Text.Say("Sign in to the console first.")),
            StatusCodes.Status403Forbidden => ("forbidden", Text.Say("Only the shop's owners may do this.")),
            _ => ("not-found", notFound ?? Text.Say("There is no such shop in your console.")),
        };
        if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
        {
            // A person in a browser (staff opening an owner's page from a link) gets a page in their language, not JSON.
            await RefusedPage(context, status, Problems.Title(code), detail);
            return;
        }
        await Problems.Make(status, code, detail).ExecuteAsync(context);
    }

    private static Task RefusedPage(HttpContext context, int status, string title, string detail)
    {
        static string E(string text) => System.Net.WebUtility.HtmlEncode(text);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{E(System.Globalization.CultureInfo.CurrentUICulture.Name)}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(title)} · Plaza</title>
            <link rel="stylesheet" href="/css/plaza.css"><link rel="stylesheet" href="/css/console.css"></head>
            <body class="console"><header class="top"><a class="brand" href="/console">Plaza</a></header>
            <main id="main" class="console-main"><h1>{E(title)}</h1><p>{E(detail)}</p><p><a href="/console">{E(Text.Say("Back to your shops"))}</a></p></main></body>
            </html>
            """, context.RequestAborted);
    }

    private static bool IsEventStream(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal);
}

public static class ConsoleUser
{
    public const string StampClaim = "plaza:stamp";

    public static int? AccountId(ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
