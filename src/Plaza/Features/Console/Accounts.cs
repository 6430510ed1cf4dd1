using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Console;

/// <summary>Console accounts: passwords (ASP.NET Core Identity's hasher), guessing slowed per address, sessions.</summary>
public sealed class Accounts(PlazaDb db, SignInThrottle throttle, TimeProvider clock)
{
    public const int MinPasswordLength = 10;

    private static readonly PasswordHasher<Account> Hasher = new();

    public enum SignInResult
    {
        Success,
        WrongCredentials,
        /// <summary>This address failed too often for this e-mail; the password was not checked.</summary>
        TryLater,
    }

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A password that is easy to type from a terminal and hard to guess (about 100 bits).</summary>
    public static string NewPassword() => string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 5)));

    public async Task<Account> CreateAsync(string email, string displayName, string password, CancellationToken ct)
    {
        var account = New(email, displayName, password);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>A password hashed as an account's would be, for an account made later from it (a sign-up's).</summary>
    public static string HashPassword(string password) =>
        Hasher.HashPassword(new Account { Email = "", DisplayName = "", PasswordHash = "", SecurityStamp = "" }, password);

    /// <summary>An account with its password hashed, not yet added: hashing is slow, so callers do it before a transaction.</summary>
    public Account New(string email, string displayName, string password)
    {
        var account = new Account
        {
            Email = Normalize(email),
            DisplayName = displayName,
            PasswordHash = "",
            SecurityStamp = NewStamp(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        account.PasswordHash = Hasher.HashPassword(account, password);
        return account;
    }

    /// <summary>
    /// Checks a password sent from <paramref name="clientAddress"/>, unless that address has to wait
    /// (<see cref="SignInThrottle"/>): then <see cref="SignInResult.TryLater"/> and how long.
    /// No account is ever locked; a wrong password from one address never refuses another's.
    /// </summary>
    public async Task<(SignInResult Result, Account? Account, TimeSpan RetryAfter)> CheckAsync(
        string email, string password, string clientAddress, CancellationToken ct)
    {
        var normalized = Normalize(email);
        var wait = throttle.Begin(normalized, clientAddress);
        if (wait > TimeSpan.Zero)
        {
            return (SignInResult.TryLater, null, wait);
        }
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Email == normalized, ct);
        if (account is null)
        {
            // Same work as a real check, so response time does not reveal which e-mails exist.
            Hasher.VerifyHashedPassword(new Account { Email = "", DisplayName = "", PasswordHash = "", SecurityStamp = "" }, DummyHash, password);
            return (SignInResult.WrongCredentials, null, TimeSpan.Zero);
        }
        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return (SignInResult.WrongCredentials, null, TimeSpan.Zero);
        }
        throttle.Succeeded(normalized, clientAddress);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = Hasher.HashPassword(account, password);
            await db.SaveChangesAsync(ct);
        }
        return (SignInResult.Success, account, TimeSpan.Zero);
    }

    /// <summary>The address a sign-in is throttled by: the one the "sign-in" rate limit partitions by.</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public async Task<bool> ChangePasswordAsync(int accountId, string current, string next, CancellationToken ct)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == accountId, ct);
        if (Hasher.VerifyHashedPassword(account, account.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return false;
        }
        account.PasswordHash = Hasher.HashPassword(account, next);
        account.SecurityStamp = NewStamp();
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<string> SignOutEverywhereAsync(int accountId, CancellationToken ct)
    {
        var stamp = NewStamp();
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.SecurityStamp, stamp), ct);
        return stamp;
    }

    public static ClaimsPrincipal Principal(Account account) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, account.DisplayName),
            new Claim(ClaimTypes.Email, account.Email),
            new Claim(ConsoleUser.StampClaim, account.SecurityStamp),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static Task SignInAsync(HttpContext http, Account account) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(account));

    /// <summary>Rejects a cookie whose security stamp is no longer the account's (password changed, signed out everywhere).</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal is null ? null : ConsoleUser.AccountId(context.Principal);
        var stamp = context.Principal?.FindFirstValue(ConsoleUser.StampClaim);
        var db = context.HttpContext.RequestServices.GetRequiredService<PlazaDb>();
        var current = id is null ? null : await db.Accounts.AsNoTracking().Where(a => a.Id == id).Select(a => a.SecurityStamp).FirstOrDefaultAsync();
        if (current is null || current != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static readonly string DummyHash = Hasher.HashPassword(new Account { Email = "", DisplayName = "", PasswordHash = "", SecurityStamp = "" }, "not a password");
}
