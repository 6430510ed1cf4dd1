using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Console;

namespace Plaza.Tests.Infrastructure;

/// <summary>A browser-like console session: cookies kept, redirects visible, forms posted with their anti-forgery token.</summary>
public sealed partial class ConsoleSession(HttpClient client) : IDisposable
{
    public const string Password = "correct horse battery";

    /// <summary>
    /// <see cref="Password"/> hashed once per test process, as <see cref="Accounts"/> hashes (salted, 100,000 rounds): every
    /// test account shares it, so making one costs no hashing; signing in still checks the password the real way.
    /// </summary>
    private static readonly Lazy<string> PasswordHash = new(() => Accounts.HashPassword(Password));

    public HttpClient Client { get; } = client;

    /// <summary>An e-mail no other account on the node has (accounts are node-wide), for tests on a shared node.</summary>
    public static string NewEmail(string name = "owner") => $"{name}.{Guid.NewGuid().ToString("N")[..10]}@example.com";

    public static ConsoleSession Anonymous(PlazaApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>An anonymous session whose requests reach the node from <paramref name="address"/> (the in-memory server gives none).</summary>
    public static ConsoleSession From(PlazaApp app, IPAddress address) =>
        new(new HttpClient(new CookieContainerHandler { InnerHandler = app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address) })
        {
            BaseAddress = app.Server.BaseAddress,
        });

    /// <summary>Creates an account with the given roles and signs it in.</summary>
    public static Task<ConsoleSession> SignedInAsync(PlazaApp app, string email, params (TestShop Shop, ShopRole Role)[] memberships) =>
        SignedInAsync(app, Anonymous(app), email, memberships);

    /// <summary>Creates an account with the given roles and signs it in through <paramref name="session"/> (e.g. a client of a proxy in front of the node).</summary>
    public static async Task<ConsoleSession> SignedInAsync(PlazaApp app, ConsoleSession session, string email, params (TestShop Shop, ShopRole Role)[] memberships)
    {
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Plaza.Data.PlazaDb>();
            var account = new Account
            {
                Email = Accounts.Normalize(email),
                DisplayName = email.Split('@')[0],
                PasswordHash = PasswordHash.Value,
                SecurityStamp = Accounts.NewStamp(),
                CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            foreach (var (shop, role) in memberships)
            {
                db.Memberships.Add(new Membership { AccountId = account.Id, ShopId = shop.Shop.Id, Role = role });
            }
            await db.SaveChangesAsync();
        }
        var response = await session.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var token = await TokenAsync("/console/sign-in");
        return await Client.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>The anti-forgery token a page's forms carry (the cookie half is kept by the client).</summary>
    public async Task<string> TokenAsync(string page)
    {
        var html = await Client.GetStringAsync(page);
        return AntiforgeryField().Match(html) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException($"No anti-forgery token on {page}.");
    }

    public async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? token)
    {
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }
        return await Client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => Client.Dispose();
}
