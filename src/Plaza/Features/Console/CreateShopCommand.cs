using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Console;

/// <summary>
/// <c>dotnet run --project src/Plaza -- create-shop --slug bakery --name "Corner Bakery" --owner-email me@example.com
/// [--currency EUR] [--time-zone Europe/Berlin] [--language en|zh-Hans]</c>: a shop and its owner on a headless server.
/// </summary>
public static class CreateShopCommand
{
    private const string Usage = "usage: create-shop --slug <a-z0-9-> --name <name> --owner-email <e-mail> [--currency EUR] [--time-zone Europe/Berlin] [--language en|zh-Hans]";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        var slug = options.GetValueOrDefault("slug", "");
        var name = options.GetValueOrDefault("name", slug);
        var email = options.GetValueOrDefault("owner-email", "");
        var currency = options.GetValueOrDefault("currency", "EUR");
        var zone = options.GetValueOrDefault("time-zone", "Europe/Berlin");
        // The shop's default language: its pages, printed codes, e-mails and the names it starts with ("标准" for its tax rate).
        var language = options.GetValueOrDefault("language", "en") switch
        {
            "en" => "en",
            "zh" or "zh-Hans" or "zh-CN" or "zh-hans" or "zh-cn" => "zh-Hans",
            _ => null,
        };
        if (!email.Contains('@', StringComparison.Ordinal) || language is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        if (NewShop.ReservedSlugs.Contains(slug))
        {
            await error.WriteLineAsync($"'{slug}' names one of the console's own pages (/console/{slug}); choose another slug.");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        if (await db.Shops.AnyAsync(s => s.Slug == slug))
        {
            await error.WriteLineAsync($"A shop '{slug}' already exists on this node.");
            return 1;
        }
        var problems = await NewShop.CheckAsync(db, slug, name, currency, zone, CancellationToken.None);
        if (problems.Count > 0)
        {
            await error.WriteLineAsync(Usage);
            await error.WriteLineAsync(string.Join(Environment.NewLine, problems.Values));
            return 2;
        }
        var shop = NewShop.Build(slug, name, currency, zone, language);
        db.Shops.Add(shop);
        await db.SaveChangesAsync();
        var accounts = scope.ServiceProvider.GetRequiredService<Accounts>();
        var normalized = Accounts.Normalize(email);
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Email == normalized);
        string? password = null;
        if (account is null)
        {
            password = Accounts.NewPassword();
            account = await accounts.CreateAsync(email, email.Split('@')[0], password, CancellationToken.None);
        }
        db.Memberships.Add(new Membership { AccountId = account.Id, ShopId = shop.Id, Role = ShopRole.Owner });
        await db.SaveChangesAsync();
        await output.WriteLineAsync($"Created shop '{slug}' (storefront /s/{slug}, console /console/{slug}/board).");
        await output.WriteLineAsync(password is null
            ? $"{normalized} already had an account and now owns it too."
            : $"Owner {normalized}, one-time password: {password} — change it under Account after signing in.");
        return 0;
    }
}
