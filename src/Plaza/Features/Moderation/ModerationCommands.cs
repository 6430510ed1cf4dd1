using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Moderation;

/// <summary>
/// The operator's federation policy from the shell (whoever runs the node is its operator):
/// <c>block-domain &lt;domain&gt; [reason]</c>, <c>unblock-domain &lt;domain&gt;</c>,
/// <c>block-actor &lt;actorId&gt; [reason]</c>, <c>unblock-actor &lt;actorId&gt;</c>, <c>blocks</c>, <c>reports</c>;
/// delivery health: <c>hosts</c> (failing and unavailable hosts), <c>clear-host &lt;host&gt;</c>;
/// and <c>grant-operator &lt;email&gt;</c> / <c>revoke-operator &lt;email&gt;</c>, which let a console account do the
/// same under <c>/console/node</c>. The role is granted only here, so only whoever has the shell hands it out.
/// </summary>
public static class ModerationCommands
{
    public static readonly string[] Names = ["block-domain", "unblock-domain", "block-actor", "unblock-actor", "blocks", "reports", "hosts", "clear-host", "grant-operator", "revoke-operator"];

    public static async Task<int> RunAsync(IServiceProvider services, string command, string[] args, TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        var moderation = scope.ServiceProvider.GetRequiredService<NodeModeration>();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var reason = args.Length > 1 ? string.Join(' ', args[1..]) : null;
        try
        {
            switch (command, args.Length)
            {
                case ("block-domain", >= 1):
                    {
                        var removed = await moderation.BlockDomainAsync(args[0], reason, CancellationToken.None);
                        await output.WriteLineAsync($"Blocked {NodeModeration.NormalizeDomain(args[0])} and its subdomains. {Describe(removed)}");
                        return 0;
                    }
                case ("unblock-domain", 1):
                    await output.WriteLineAsync(await moderation.UnblockDomainAsync(args[0], CancellationToken.None)
                        ? $"Unblocked {NodeModeration.NormalizeDomain(args[0])}; removed follows do not come back by themselves."
                        : $"{args[0]} was not blocked.");
                    return 0;
                case ("block-actor", >= 1) when NodeModeration.IsActorId(args[0]):
                    {
                        var removed = await moderation.BlockActorAsync(args[0], reason, CancellationToken.None);
                        await output.WriteLineAsync($"Blocked {args[0]}. {Describe(removed)}");
                        return 0;
                    }
                case ("unblock-actor", 1) when NodeModeration.IsActorId(args[0]):
                    await output.WriteLineAsync(await moderation.UnblockActorAsync(args[0], CancellationToken.None) ? $"Unblocked {args[0]}." : $"{args[0]} was not blocked.");
                    return 0;
                case ("blocks", 0):
                    foreach (var b in await moderation.ListAsync(CancellationToken.None))
                    {
                        await output.WriteLineAsync($"{(b.IsDomain ? "domain" : "actor")}\t{b.Target}\t{b.BlockedAt.ToString("u", CultureInfo.InvariantCulture)}\t{b.Reason}");
                    }
                    return 0;
                case ("hosts", 0):
                    var hosts = await db.FailingHosts.AsNoTracking().OrderByDescending(h => h.UnavailableSince != null).ThenBy(h => h.Host).ToListAsync();
                    if (hosts.Count == 0)
                    {
                        await output.WriteLineAsync("Every host answers.");
                    }
                    foreach (var h in hosts)
                    {
                        await output.WriteLineAsync(string.Join('\t', h.Host,
                            h.UnavailableSince is { } since ? "unavailable since " + since.ToString("u", CultureInfo.InvariantCulture) : "failing",
                            "failing since " + h.FailingSince.ToString("u", CultureInfo.InvariantCulture), $"{h.Failures} failure(s)", Printable(h.LastError ?? "")));
                    }
                    return 0;
                case ("clear-host", 1):
                    var host = NodeModeration.NormalizeDomain(args[0]);
                    var federation = scope.ServiceProvider.GetRequiredService<FederationOptions>();
                    await output.WriteLineAsync(await HostHealth.ClearAsync(db, host, federation, DateTime.UtcNow, CancellationToken.None)
                        ? $"Cleared {host}; deliveries to it are attempted again, and those given up while it was marked unavailable are resent."
                        : $"{host} was not marked.");
                    return 0;
                case ("reports", 0):
                    var reports = await scope.ServiceProvider.GetRequiredService<Reports>().LatestAsync(200, CancellationToken.None);
                    if (reports.Count == 0)
                    {
                        await output.WriteLineAsync("No reports.");
                    }
                    foreach (var r in reports)
                    {
                        // One line each; the comment is someone else's text, so control characters are taken out before it reaches a terminal.
                        await output.WriteLineAsync(string.Join('\t',
                            r.CreatedAt.ToString("u", CultureInfo.InvariantCulture), r.Source, Printable(r.ShopSlug ?? r.ActorId ?? "?"),
                            Printable(r.ReporterActorId ?? "anonymous"), Printable(r.Comment),
                            r.Resolution is { } resolution ? $"{resolution} by {r.ResolvedBy}" : "open"));
                    }
                    return 0;
                case ("grant-operator" or "revoke-operator", 1):
                    {
                        var email = Console.Accounts.Normalize(args[0]);
                        var grant = command == "grant-operator";
                        var changed = await db.Accounts.Where(a => a.Email == email).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsOperator, grant));
                        if (changed == 0)
                        {
                            await error.WriteLineAsync($"There is no console account {email} on this node.");
                            return 1;
                        }
                        await output.WriteLineAsync(grant
                            ? $"{email} is an operator: reports and blocks under /console/node/reports and /console/node/blocks."
                            : $"{email} is no longer an operator.");
                        return 0;
                    }
            }
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
        await error.WriteLineAsync("usage: block-domain <domain> [reason] | unblock-domain <domain> | block-actor <actor URL> [reason] | unblock-actor <actor URL> | blocks | reports | hosts | clear-host <host> | grant-operator <e-mail> | revoke-operator <e-mail>");
        return 2;
    }

    private static string Describe(NodeModeration.Removed removed) =>
        $"Removed {removed.Followers} follower(s), {removed.Follows} follow(s), {removed.Activities} stored activit(ies), {removed.DirectoryEntries} directory entr(ies).";

    public static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
}
