using System.Net;
using System.Text.RegularExpressions;

namespace Plaza.Features.Moderation;

/// <summary>
/// Remote HTML (summaries, Flag comments) reduced to plain text before it is stored: tags dropped,
/// entities decoded, control characters removed. Pages then show it through Razor's encoding, so
/// markup a remote server sends is only ever text.
/// </summary>
public static partial class PlainText
{
    public static string From(string html)
    {
        var text = WebUtility.HtmlDecode(Tags().Replace(html, " "));
        return Spaces().Replace(string.Concat(text.Select(c => char.IsControl(c) && c != '\n' ? ' ' : c)), " ").Trim();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex("[ \\t]{2,}")]
    private static partial Regex Spaces();
}
