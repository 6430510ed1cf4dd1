using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Nearby;

/// <summary>
/// The operator's directory subscriptions from the shell: <c>subscribe-directory &lt;node URL&gt;</c>,
/// <c>unsubscribe-directory &lt;node URL&gt;</c>, <c>directories</c>. The running node pulls a new
/// subscription at its next round (<c>Plaza:Nearby:DirectoryPullInterval</c>).
/// </summary>
public static class DirectoryCommands
{
    public static readonly string[] Names = ["subscribe-directory", "unsubscribe-directory", "directories"];

    public static async Task<int> RunAsync(IServiceProvider services, string command, string[] args, TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        var subscriptions = scope.ServiceProvider.GetRequiredService<DirectorySubscriptions>();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        try
        {
            switch (command, args.Length)
            {
                case ("subscribe-directory", 1):
                    await output.WriteLineAsync(await subscriptions.SubscribeAsync(args[0], configured: false, CancellationToken.None)
                        ? $"Subscribed to {DirectorySubscriptions.Normalize(args[0])}; the node reads it at its next directory round."
                        : $"Already subscribed to {DirectorySubscriptions.Normalize(args[0])}.");
                    return 0;
                case ("unsubscribe-directory", 1):
                    var removed = await subscriptions.UnsubscribeAsync(args[0], CancellationToken.None);
                    await output.WriteLineAsync(removed is { } count
                        ? $"Unsubscribed from {DirectorySubscriptions.Normalize(args[0])}; removed {count} directory entr(ies) only it listed."
                            + (IsConfigured(services, args[0]) ? " It is also in Plaza:Nearby:Directories, which subscribes again at the next round." : "")
                        : $"Not subscribed to {args[0]}.");
                    return 0;
                case ("directories", 0):
                    var rows = await db.DirectorySubscriptions.AsNoTracking().OrderBy(s => s.Url).ToListAsync();
                    if (rows.Count == 0)
                    {
                        await output.WriteLineAsync("No directory subscriptions.");
                    }
                    foreach (var s in rows)
                    {
                        var known = await db.KnownShops.CountAsync(k => k.SubscriptionId == s.Id && k.Source == KnownShopSource.Directory);
                        await output.WriteLineAsync(string.Join('\t',
                            s.Url, s.Configured ? "configured" : "command", s.CollectionUrl ?? "-", $"listed {s.Listed}", $"known {known}",
                            s.LastCompleteAt is { } at ? "read " + at.ToString("u", CultureInfo.InvariantCulture) : "never read",
                            Moderation.ModerationCommands.Printable(s.LastError ?? "")));
                    }
                    return 0;
            }
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
        await error.WriteLineAsync("usage: subscribe-directory <node URL> | unsubscribe-directory <node URL> | directories");
        return 2;
    }

    private static bool IsConfigured(IServiceProvider services, string url) =>
        services.GetRequiredService<NearbyOptions>().Directories.Any(d =>
            DirectorySubscriptions.Normalize(d) == DirectorySubscriptions.Normalize(url));
}
