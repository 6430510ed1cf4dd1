using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;

namespace Plaza.Features.Members;

/// <summary>
/// The WebAuthn ceremonies the member pages' script (<c>passkey.js</c>) runs, under the shop's storefront: each is an
/// <c>…/options</c> call and the answer. Only the shop's own pages can call them: every call carries the page's antiforgery
/// token in a header, which another site cannot read. They are the browser's, not the integrator API's, so they are left out
/// of the OpenAPI document, as the share button's call is.
/// </summary>
public static class PasskeysApi
{
    /// <summary>What the join form sends: its fields, and with the answer the ceremony's token and the browser's credential.</summary>
    public sealed record JoinRequest(string? Name, string? Phone, bool Offers, string? Ceremony, JsonElement? Credential);

    /// <summary>An answer to add a passkey (with the name the member gave it) or to sign in.</summary>
    public sealed record Answer(string? Ceremony, JsonElement? Credential, string? Name);

    /// <summary>Where the page goes once the ceremony is done.</summary>
    public sealed record Done(string Next);

    public static WebApplication MapPasskeys(this WebApplication app)
    {
        var shop = app.MapGroup("/s/{shop}").WithMetadata(new ShopScopedAttribute()).RequireRateLimiting("sign-in").ExcludeFromDescription()
            .AddEndpointFilter(SameSiteOnly);
        shop.MapPost("/me/passkeys/options", AddOptionsAsync);
        shop.MapPost("/me/passkeys", AddAsync);
        shop.MapPost("/join/passkey/options", JoinOptionsAsync);
        shop.MapPost("/join/passkey", JoinAsync);
        shop.MapPost("/signin/passkey/options", SignInOptionsAsync);
        shop.MapPost("/signin/passkey", SignInAsync);
        return app;
    }

    private static async Task<IResult> AddOptionsAsync(HttpContext http, Members members, Passkeys passkeys, CancellationToken ct)
    {
        if (await members.CurrentAsync(http, ct) is not { } member)
        {
            return SignedOut();
        }
        return Options(await passkeys.AddOptionsAsync(member, ct));
    }

    private static async Task<IResult> AddAsync(Answer answer, HttpContext http, Members members, Passkeys passkeys, ShopScope scope, CancellationToken ct)
    {
        if (await members.CurrentAsync(http, ct) is not { } member)
        {
            return SignedOut();
        }
        var name = answer.Name?.Trim();
        if (name is { Length: > 60 })
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["name"] = [Text.Say("Give the passkey a shorter name (60 characters at most).")] });
        }
        return Finish(await passkeys.AddAsync(member, answer.Ceremony, answer.Credential, string.IsNullOrEmpty(name) ? null : name, ct), scope);
    }

    private static async Task<IResult> JoinOptionsAsync(JoinRequest request, Members members, Passkeys passkeys, ShopScope scope, CancellationToken ct)
    {
        var (who, problem) = await CheckAsync(request, members, scope, ct);
        if (problem is not null)
        {
            return problem;
        }
        return Options(await passkeys.JoinOptionsAsync(who.Name ?? who.Phone, ct));
    }

    private static async Task<IResult> JoinAsync(JoinRequest request, HttpContext http, Members members, Passkeys passkeys, ShopScope scope, CancellationToken ct)
    {
        var (who, problem) = await CheckAsync(request, members, scope, ct);
        if (problem is not null)
        {
            return problem;
        }
        return Finish(await passkeys.JoinAsync(http, request.Ceremony, request.Credential, who, ct), scope);
    }

    private static async Task<IResult> SignInOptionsAsync(Passkeys passkeys, CancellationToken ct) =>
        Options(await passkeys.SignInOptionsAsync(ct));

    private static async Task<IResult> SignInAsync(Answer answer, HttpContext http, Passkeys passkeys, ShopScope scope, CancellationToken ct) =>
        Finish(await passkeys.SignInAsync(http, answer.Ceremony, answer.Credential, ct), scope);

    /// <summary>The name (optional, as the e-mail path's), the phone in E.164 (optional, refused when unreadable) and the consent words.</summary>
    private static async Task<(Passkeys.NewMember Who, IResult? Problem)> CheckAsync(JoinRequest request, Members members, ShopScope scope, CancellationToken ct)
    {
        var shop = scope.Current;
        var name = Typed.Plain(request.Name).Trim();
        var phone = Typed.Plain(request.Phone).Trim();
        var errors = new Dictionary<string, string[]>();
        if (name.Length > 80)
        {
            errors["name"] = [Text.Say("Give a shorter name (80 characters at most).")];
        }
        string? normalised = null;
        if (phone.Length > 0 && (normalised = MemberPhones.Normalise(phone, MemberPhones.RegionOf(shop))) is null)
        {
            errors["phone"] = [Text.Say("That is not a phone number we can read; check it, or leave it empty.")];
        }
        var language = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en";
        var who = new Passkeys.NewMember(name.Length > 0 ? name : null, normalised, language, request.Offers ? await members.ConsentTextAsync(ct, byEmail: false) : null);
        return (who, errors.Count > 0 ? Problems.Invalid(errors) : null);
    }

    /// <summary>The options for <c>navigator.credentials</c>, as Fido2 writes them, with the token that names the ceremony.</summary>
    private static IResult Options((string Ceremony, string Options) started)
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["ceremony"] = started.Ceremony,
            ["publicKey"] = System.Text.Json.Nodes.JsonNode.Parse(started.Options),
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static IResult Finish(Passkeys.Outcome outcome, ShopScope scope) => outcome switch
    {
        Passkeys.Outcome.Done => TypedResults.Ok(new Done($"/s/{scope.Current.Slug}/me")),
        Passkeys.Outcome.Spent => Problems.Make(StatusCodes.Status400BadRequest, "passkey-refused",
            Text.Say("That passkey request has expired or was used already; try again.")),
        Passkeys.Outcome.Unknown => Problems.NotFound(Text.Say("This passkey is not one of {0}'s members' passkeys (it may have been removed); join, or sign in by e-mail.", scope.Current.Name)),
        _ => Problems.Make(StatusCodes.Status400BadRequest, "passkey-refused", Text.Say("The passkey could not be checked; try again.")),
    };

    private static ProblemHttpResult SignedOut() =>
        Problems.Make(StatusCodes.Status401Unauthorized, "unauthorized", Text.Say("Sign in on this phone first, then add a passkey."));

    /// <summary>Refuses a call without the page's antiforgery token (header <c>RequestVerificationToken</c>): another site's page cannot make one.</summary>
    private static async ValueTask<object?> SameSiteOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http)
            ? await next(context)
            : Problems.Make(StatusCodes.Status403Forbidden, "forbidden", Text.Say("Open the shop's own page and try again."));
    }
}
