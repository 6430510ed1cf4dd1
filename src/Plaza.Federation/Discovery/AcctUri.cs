using System.Diagnostics.CodeAnalysis;

namespace Plaza.Federation.Discovery;

/// <summary>
/// An <c>acct:</c> URI (RFC 7565) naming an account on a host, e.g. <c>acct:bakery@shop.example</c>,
/// as a WebFinger <c>resource</c> carries it.
/// </summary>
public sealed record AcctUri
{
    private const string Scheme = "acct:";

    /// <summary>An account; the host is kept in lowercase, as host names compare case-insensitively.</summary>
    /// <exception cref="ArgumentException">The user or host is not valid.</exception>
    public AcctUri(string user, string host)
    {
        if (!IsValidUser(user))
        {
            throw new ArgumentException($"'{user}' is not a valid acct user.", nameof(user));
        }

        if (!IsValidHost(host))
        {
            throw new ArgumentException($"'{host}' is not a valid acct host.", nameof(host));
        }

        User = user;
        Host = host.ToLowerInvariant();
    }

    /// <summary>The user part (the shop's handle).</summary>
    public string User { get; }

    /// <summary>The host, optionally with a port, lowercase.</summary>
    public string Host { get; }

    /// <summary>
    /// Parses <c>acct:user@host</c> or <c>user@host</c>. Refuses anything else: no user or host,
    /// more than one <c>@</c>, spaces, a path, query or fragment, or a host that is not a host name
    /// or IP address (with an optional port).
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? resource, [NotNullWhen(true)] out AcctUri? account)
    {
        account = null;
        if (string.IsNullOrEmpty(resource))
        {
            return false;
        }

        var text = resource.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? resource[Scheme.Length..] : resource;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || at != text.LastIndexOf('@'))
        {
            return false;
        }

        var user = text[..at];
        var host = text[(at + 1)..];
        if (!IsValidUser(user) || !IsValidHost(host))
        {
            return false;
        }

        account = new AcctUri(user, host);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>, throwing when the resource is malformed.</summary>
    /// <exception cref="FormatException">The resource is not an <c>acct:</c> URI.</exception>
    public static AcctUri Parse(string resource) =>
        TryParse(resource, out var account) ? account : throw new FormatException($"'{resource}' is not an acct: URI.");

    /// <summary>The URI form, <c>acct:user@host</c>.</summary>
    public override string ToString() => $"{Scheme}{User}@{Host}";

    // RFC 7565 userpart: unreserved, sub-delims and percent-encoded octets.
    private static bool IsValidUser(string? user) =>
        !string.IsNullOrEmpty(user)
        && user.All(character => char.IsAsciiLetterOrDigit(character) || "-._~!$&'()*+,;=%".Contains(character, StringComparison.Ordinal));

    private static bool IsValidHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var name = host;
        var colon = host.LastIndexOf(':');
        if (colon > 0 && !host.EndsWith(']'))
        {
            var port = host[(colon + 1)..];
            if (!ushort.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                || number == 0)
            {
                return false;
            }

            name = host[..colon];
        }

        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            return Uri.CheckHostName(name[1..^1]) == UriHostNameType.IPv6;
        }

        return Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }
}
