using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;

namespace Plaza;

/// <summary>
/// The words Plaza says, in English and in the request's language. English text is the key of every
/// translation (<c>Resources/Text.*.resx</c>, made from <c>tools/zh-Hans.tsv</c>); pages ask through
/// <c>IStringLocalizer&lt;Text&gt;</c>, code that makes a message (a problem detail, a field error, a
/// notice) through <see cref="Say(string)"/>, in the current UI culture, which the request's
/// localisation has set. <c>tools/resx.py --check</c> finds every key named through these and fails
/// when one has no Chinese.
/// </summary>
public sealed class Text
{
    private static readonly ResourceManager Resources = new("Plaza.Resources.Text", typeof(Text).Assembly);
    private static readonly ConcurrentDictionary<string, ResourceSet?> Sets = new();

    /// <summary>The English text in the current UI culture's words (English when there is no translation).</summary>
    public static string Say(string english) => SetFor(CultureInfo.CurrentUICulture)?.GetString(english) ?? english;

    /// <summary>A message with arguments: the template is translated, then filled in the current culture.</summary>
    public static string Say(string english, params ReadOnlySpan<object?> args) =>
        string.Format(CultureInfo.CurrentCulture, Say(english), args);

    /// <summary>Marks English text that is kept as it is and worded later (a title in a table, a stored code's wording).</summary>
    public static string Key(string english) => english;

    // English has no resources (its text is the key): a culture's set is its own or its nearest parent's, else none.
    private static ResourceSet? SetFor(CultureInfo culture) => Sets.GetOrAdd(culture.Name, _ =>
    {
        for (var c = culture; c.Name.Length > 0; c = c.Parent)
        {
            if (Resources.GetResourceSet(c, createIfNotExists: true, tryParents: false) is { } set)
            {
                return set;
            }
        }
        return null;
    });
}
