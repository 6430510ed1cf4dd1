using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Ordering;

/// <summary>What an API token may do, as the console's roles decide for people.</summary>
public enum TokenScope
{
    /// <summary>What staff do at the counter: read and move orders (a kitchen screen, a POS).</summary>
    Staff,

    /// <summary>Everything the API offers the shop, as its owners in the console: promotions, follows, boosts, hubs, sales reports.</summary>
    Owner,
}

/// <summary>
/// Bearer tokens for the API. The token is shown once; only its SHA-256 is kept, so a leaked
/// database does not leak working tokens. A token acts only for the shop it was made for, and only
/// within its <see cref="TokenScope"/>: endpoints the console keeps for owners need an owner token.
/// </summary>
public static class StaffToken
{
    public const string Prefix = "plz_";
    public const string ActorItem = "plaza.actor";

    public static string NewToken() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static async Task<string> IssueAsync(PlazaDb db, int shopId, string name, TokenScope scope, TimeProvider clock, CancellationToken ct)
    {
        var token = NewToken();
        db.ApiTokens.Add(new ApiToken { ShopId = shopId, Name = name, Scope = scope, TokenHash = Hash(token), CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>Refuses the request unless it carries a live token of the scoped shop (either scope).</summary>
    public static TBuilder RequireStaffToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireToken(TokenScope.Staff);

    /// <summary>
    /// Refuses the request unless it carries a live owner token of the scoped shop: for what the
    /// console keeps to owners (<c>[OwnerOnly]</c> pages), so a staff token is refused with 403.
    /// </summary>
    public static TBuilder RequireOwnerToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireToken(TokenScope.Owner)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));

    private static TBuilder RequireToken<TBuilder>(this TBuilder builder, TokenScope needed) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var header = http.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return Unauthorized(http, Text.Say("Send a staff API token as 'Authorization: Bearer …'."));
            }
            var hash = Hash(header["Bearer ".Length..].Trim());
            var db = http.RequestServices.GetRequiredService<PlazaDb>();
            // The shop filter makes another shop's token simply not found.
            var token = await db.ApiTokens.AsNoTracking()
                .FirstOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, http.RequestAborted);
            if (token is null)
            {
                return Unauthorized(http, Text.Say("The token is unknown, revoked, or not for this shop."));
            }
            if (needed == TokenScope.Owner && token.Scope != TokenScope.Owner)
            {
                return Problems.Make(StatusCodes.Status403Forbidden, "forbidden",
                    Text.Say("This needs an owner token: a staff token may read and move orders only. An owner makes one on the console's API tokens page."));
            }
            http.Items[ActorItem] = "token:" + token.Name;
            return await next(context);
        });

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Make(StatusCodes.Status401Unauthorized, "unauthorized", detail);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

