using System.Net;
using System.Text.RegularExpressions;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Members;

/// <summary>A customer's phone joining a shop as its member, through the join page and a code read from the real SMTP server.</summary>
public static partial class MemberSessions
{
    /// <summary>Asks for a code at the shop's join page and reads it from the e-mail: the code page's address and the code.</summary>
    public static async Task<(string Page, string Code)> AskCodeAsync(ConsoleSession phone, SmtpSink mail, TestShop shop, string email, bool offers, int skip = 0)
    {
        var fields = new Dictionary<string, string> { ["Email"] = email };
        if (offers)
        {
            fields["Offers"] = "true";
        }
        var asked = await phone.PostFormAsync($"/s/{shop.Slug}/join", fields, await phone.TokenAsync($"/s/{shop.Slug}/join"));
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var message = await mail.WaitForAsync(email.ToLowerInvariant(), skip);
        var code = SixDigits().Match(message.Subject ?? "").Value;
        Assert.Matches("^[0-9]{6}$", code);
        return (asked.Headers.Location!.OriginalString, code);
    }

    public static async Task JoinAsync(ConsoleSession phone, SmtpSink mail, TestShop shop, string email, bool offers, int skip = 0)
    {
        var (page, code) = await AskCodeAsync(phone, mail, shop, email, offers, skip);
        var signedIn = await phone.PostFormAsync(page, new() { ["Code"] = code }, await phone.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal($"/s/{shop.Slug}/me", signedIn.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex SixDigits();
}
