using System.Globalization;
using System.Text;

namespace Plaza.Federation.Signatures;

/// <summary>A token bare item of an RFC 8941 structured field (unquoted, e.g. <c>sha-256</c> as a token value).</summary>
/// <param name="Value">The token text.</param>
public readonly record struct StructuredToken(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>A member of an RFC 8941 dictionary or list: an item, or an inner list, with its parameters.</summary>
internal sealed record StructuredMember(
    object? Item,
    IReadOnlyList<StructuredInnerItem>? InnerList,
    IReadOnlyList<KeyValuePair<string, object>> Parameters)
{
    public bool IsInnerList => InnerList is not null;
}

/// <summary>An item inside an inner list, with its parameters.</summary>
internal sealed record StructuredInnerItem(object Value, IReadOnlyList<KeyValuePair<string, object>> Parameters);

/// <summary>
/// The part of RFC 8941 (Structured Field Values) that HTTP message signatures need: parsing
/// dictionaries (<c>Signature-Input</c>, <c>Signature</c>, <c>Content-Digest</c>) and strict
/// serialisation of inner lists and parameters, which the signature base is built from.
/// Bare items are <see cref="long"/>, <see cref="decimal"/>, <see cref="string"/>,
/// <see cref="StructuredToken"/>, <see cref="byte"/>[] and <see cref="bool"/>.
/// </summary>
internal static class StructuredFields
{
    /// <summary>Parses a dictionary; returns null when the text is not a valid one.</summary>
    public static IReadOnlyList<KeyValuePair<string, StructuredMember>>? ParseDictionary(string text)
    {
        var parser = new Parser(text);
        try
        {
            return parser.ParseDictionary();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string SerializeInnerList(
        IEnumerable<StructuredInnerItem> items, IEnumerable<KeyValuePair<string, object>> parameters)
    {
        var output = new StringBuilder("(");
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                output.Append(' ');
            }

            first = false;
            AppendBareItem(output, item.Value);
            AppendParameters(output, item.Parameters);
        }

        output.Append(')');
        AppendParameters(output, parameters);
        return output.ToString();
    }

    public static string SerializeItem(object value, IEnumerable<KeyValuePair<string, object>> parameters)
    {
        var output = new StringBuilder();
        AppendBareItem(output, value);
        AppendParameters(output, parameters);
        return output.ToString();
    }

    private static void AppendParameters(StringBuilder output, IEnumerable<KeyValuePair<string, object>> parameters)
    {
        foreach (var (key, value) in parameters)
        {
            output.Append(';').Append(key);
            if (value is not true)
            {
                output.Append('=');
                AppendBareItem(output, value);
            }
        }
    }

    private static void AppendBareItem(StringBuilder output, object value)
    {
        switch (value)
        {
            case long integer:
                output.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            case int integer:
                output.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal number:
                output.Append(Math.Round(number, 3, MidpointRounding.ToEven).ToString("0.0##", CultureInfo.InvariantCulture));
                break;
            case string text:
                output.Append('"');
                foreach (var character in text)
                {
                    if (character is < ' ' or > '~')
                    {
                        throw new FormatException("A structured string holds only printable ASCII.");
                    }

                    if (character is '"' or '\\')
                    {
                        output.Append('\\');
                    }

                    output.Append(character);
                }

                output.Append('"');
                break;
            case StructuredToken token:
                output.Append(token.Value);
                break;
            case byte[] bytes:
                output.Append(':').Append(Convert.ToBase64String(bytes)).Append(':');
                break;
            case bool flag:
                output.Append(flag ? "?1" : "?0");
                break;
            default:
                throw new FormatException($"{value.GetType().Name} is not a structured field bare item.");
        }
    }

    private ref struct Parser(string text)
    {
        private readonly string text = text;
        private int position;

        public List<KeyValuePair<string, StructuredMember>> ParseDictionary()
        {
            var members = new List<KeyValuePair<string, StructuredMember>>();
            SkipSpaces();
            while (!AtEnd)
            {
                var key = ParseKey();
                StructuredMember member;
                if (Peek == '=')
                {
                    position++;
                    member = ParseItemOrInnerList();
                }
                else
                {
                    member = new StructuredMember(true, null, ParseParameters());
                }

                // A repeated key replaces the earlier one but keeps its place (RFC 8941 §4.2.2).
                var existing = members.FindIndex(pair => pair.Key == key);
                if (existing >= 0)
                {
                    members[existing] = new(key, member);
                }
                else
                {
                    members.Add(new(key, member));
                }

                SkipOptionalWhitespace();
                if (AtEnd)
                {
                    break;
                }

                Expect(',');
                SkipOptionalWhitespace();
                if (AtEnd)
                {
                    throw new FormatException("A dictionary does not end with a comma.");
                }
            }

            return members;
        }

        private readonly bool AtEnd => position >= text.Length;

        private readonly char Peek => AtEnd ? '\0' : text[position];

        private StructuredMember ParseItemOrInnerList()
        {
            if (Peek == '(')
            {
                var items = ParseInnerList();
                return new StructuredMember(null, items, ParseParameters());
            }

            var item = ParseBareItem();
            return new StructuredMember(item, null, ParseParameters());
        }

        private List<StructuredInnerItem> ParseInnerList()
        {
            Expect('(');
            var items = new List<StructuredInnerItem>();
            while (true)
            {
                SkipSpaces();
                if (Peek == ')')
                {
                    position++;
                    return items;
                }

                var value = ParseBareItem();
                items.Add(new StructuredInnerItem(value, ParseParameters()));
                if (Peek is not (' ' or ')'))
                {
                    throw new FormatException("Inner list items are separated by spaces.");
                }
            }
        }

        private List<KeyValuePair<string, object>> ParseParameters()
        {
            var parameters = new List<KeyValuePair<string, object>>();
            while (Peek == ';')
            {
                position++;
                SkipSpaces();
                var key = ParseKey();
                object value = true;
                if (Peek == '=')
                {
                    position++;
                    value = ParseBareItem();
                }

                var existing = parameters.FindIndex(pair => pair.Key == key);
                if (existing >= 0)
                {
                    parameters[existing] = new(key, value);
                }
                else
                {
                    parameters.Add(new(key, value));
                }
            }

            return parameters;
        }

        private string ParseKey()
        {
            var start = position;
            if (!(Peek is >= 'a' and <= 'z' || Peek == '*'))
            {
                throw new FormatException("A key starts with a lowercase letter or '*'.");
            }

            while (!AtEnd && (Peek is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-' or '.' or '*'))
            {
                position++;
            }

            return text[start..position];
        }

        private object ParseBareItem()
        {
            var next = Peek;
            if (next == '-' || char.IsAsciiDigit(next))
            {
                return ParseNumber();
            }

            return next switch
            {
                '"' => ParseString(),
                ':' => ParseByteSequence(),
                '?' => ParseBoolean(),
                _ when char.IsAsciiLetter(next) || next == '*' => ParseToken(),
                _ => throw new FormatException($"Unexpected '{next}' at {position}."),
            };
        }

        private object ParseNumber()
        {
            var start = position;
            if (Peek == '-')
            {
                position++;
            }

            var isDecimal = false;
            while (!AtEnd && (char.IsAsciiDigit(Peek) || (Peek == '.' && !isDecimal)))
            {
                isDecimal |= Peek == '.';
                position++;
            }

            var number = text[start..position];
            if (isDecimal)
            {
                return decimal.Parse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            }

            if (number.Length > 16 || !long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                throw new FormatException("An integer has at most 15 digits.");
            }

            return integer;
        }

        private string ParseString()
        {
            Expect('"');
            var output = new StringBuilder();
            while (!AtEnd)
            {
                var character = text[position++];
                if (character == '\\')
                {
                    if (AtEnd || Peek is not ('"' or '\\'))
                    {
                        throw new FormatException("Only '\"' and '\\' may be escaped.");
                    }

                    output.Append(text[position++]);
                }
                else if (character == '"')
                {
                    return output.ToString();
                }
                else if (character is < ' ' or > '~')
                {
                    throw new FormatException("A string holds only printable ASCII.");
                }
                else
                {
                    output.Append(character);
                }
            }

            throw new FormatException("Unterminated string.");
        }

        private StructuredToken ParseToken()
        {
            var start = position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || "!#$%&'*+-.^_`|~:/".Contains(Peek, StringComparison.Ordinal)))
            {
                position++;
            }

            return new StructuredToken(text[start..position]);
        }

        private byte[] ParseByteSequence()
        {
            Expect(':');
            var end = text.IndexOf(':', position);
            if (end < 0)
            {
                throw new FormatException("Unterminated byte sequence.");
            }

            var encoded = text[position..end];
            position = end + 1;
            try
            {
                return Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                throw new FormatException("A byte sequence is base64.");
            }
        }

        private bool ParseBoolean()
        {
            Expect('?');
            var value = Peek switch
            {
                '1' => true,
                '0' => false,
                _ => throw new FormatException("A boolean is ?0 or ?1."),
            };
            position++;
            return value;
        }

        private void Expect(char expected)
        {
            if (Peek != expected)
            {
                throw new FormatException($"Expected '{expected}' at {position}.");
            }

            position++;
        }

        private void SkipSpaces()
        {
            while (Peek == ' ')
            {
                position++;
            }
        }

        private void SkipOptionalWhitespace()
        {
            while (Peek is ' ' or '\t')
            {
                position++;
            }
        }
    }
}
