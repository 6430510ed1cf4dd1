namespace Plaza.Features.Console;

/// <summary>
/// Slows password guessing against one account without giving anyone a way to lock its owner out.
/// </summary>
/// <remarks>
/// <para>
/// A lockout per account (five wrong passwords, 15 minutes, even the right password refused) let
/// anyone who knows an owner's e-mail keep the owner out of the console. So the count is kept per
/// e-mail <em>and client address</em>: after <see cref="FreeAttempts"/> failed attempts from one
/// address, that address waits <see cref="FirstWait"/> before it may try that e-mail again, twice as
/// long after each further failure, up to <see cref="LongestWait"/>. While it waits its attempts are
/// not checked at all (the right password included, or the answer would tell a guesser it was right).
/// Another address is not slowed by it, so the owner signs in from their own device while a flood
/// goes on elsewhere. Guessing from many addresses at once is bounded by the per-address "sign-in"
/// rate limit and by each address's own waits; passwords are at least 10 characters.
/// </para>
/// <para>
/// An attempt counts as a failure from the moment it starts and is forgotten when the password was
/// right, so parallel posts cannot all slip in before the first failure is recorded. E-mails without
/// an account are counted like any other, so the waits do not tell which e-mails exist.
/// </para>
/// <para>
/// Kept in memory, like the rate limiter: each app process counts for itself and a restart forgets.
/// Behind a reverse proxy the client address is the proxy's unless forwarded headers are applied,
/// and then everyone shares one count.
/// </para>
/// </remarks>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreeAttempts = 5;
    public static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>A count with no new failure for this long starts again from zero.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    // Each entry is a few dozen bytes; the per-address rate limit keeps the growth slow.
    private const int MaxEntries = 100_000;

    private readonly Lock gate = new();
    private readonly Dictionary<(string Email, string Address), (int Failures, DateTime Last)> counts = [];

    /// <summary>
    /// Starts an attempt: zero when the password may be checked now (the attempt is counted as a
    /// failure until <see cref="Succeeded"/>), otherwise how long this address must still wait.
    /// </summary>
    public TimeSpan Begin(string email, string address)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (gate)
        {
            var key = (email, address);
            var (failures, last) = counts.TryGetValue(key, out var known) && now - known.Last < ForgetAfter ? known : (0, DateTime.MinValue);
            if (failures >= FreeAttempts)
            {
                var wait = TimeSpan.FromTicks(Math.Min(FirstWait.Ticks << Math.Min(failures - FreeAttempts, 20), LongestWait.Ticks));
                var left = last + wait - now;
                if (left > TimeSpan.Zero)
                {
                    return left;
                }
            }
            if (counts.Count >= MaxEntries && !counts.ContainsKey(key))
            {
                Forget(now);
            }
            counts[key] = (failures + 1, now);
            return TimeSpan.Zero;
        }
    }

    /// <summary>The password was right: this address starts again from zero for this e-mail.</summary>
    public void Succeeded(string email, string address)
    {
        lock (gate)
        {
            counts.Remove((email, address));
        }
    }

    private void Forget(DateTime now)
    {
        foreach (var (key, _) in counts.Where(c => now - c.Value.Last >= ForgetAfter).ToList())
        {
            counts.Remove(key);
        }
        if (counts.Count >= MaxEntries)
        {
            // Still full within a day: a flood from very many addresses. Drop the oldest half; those
            // addresses are still held by the rate limit, and the newest (the busiest) keep their waits.
            foreach (var (key, _) in counts.OrderBy(c => c.Value.Last).Take(MaxEntries / 2).ToList())
            {
                counts.Remove(key);
            }
        }
    }
}
