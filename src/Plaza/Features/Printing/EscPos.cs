using System.Text;

namespace Plaza.Features.Printing;

/// <summary>
/// The part of ESC/POS (Epson's command set, which every restaurant thermal printer speaks) that tickets need:
/// initialise, Chinese (GB18030) character mode, alignment, bold, size, feed and cut, and the paper-sensor status
/// query. Text is sent in GB18030, which covers ASCII unchanged and every Chinese character; control characters in
/// what customers and owners typed are dropped, so a name cannot carry a printer command.
/// </summary>
public sealed class EscPos
{
    /// <summary>GB18030, what Chinese thermal printers print in their Chinese mode.</summary>
    public static readonly Encoding Gb18030 = CodePagesEncodingProvider.Instance.GetEncoding(54936)!;

    /// <summary>DLE EOT 4: "transmit the roll paper sensor status", answered with one byte at once.</summary>
    public static readonly byte[] PaperStatusQuery = [0x10, 0x04, 0x04];

    private readonly List<byte> bytes = [];

    /// <summary>Bits 5 and 6 of the roll paper sensor status: the paper has run out.</summary>
    public static bool IsPaperOut(byte status) => (status & 0x60) == 0x60;

    /// <summary>ESC @ (reset), then FS &amp; (Chinese character mode: two-byte GB codes print as Chinese).</summary>
    public EscPos Init() => Raw(0x1B, 0x40, 0x1C, 0x26);

    public EscPos Center() => Raw(0x1B, 0x61, 1);

    public EscPos Left() => Raw(0x1B, 0x61, 0);

    public EscPos Bold(bool on) => Raw(0x1B, 0x45, (byte)(on ? 1 : 0));

    /// <summary>GS ! : character width and height multipliers, 1 or 2.</summary>
    public EscPos Size(int width, int height) => Raw(0x1D, 0x21, (byte)(((width - 1) << 4) | (height - 1)));

    public EscPos Line(string text = "")
    {
        bytes.AddRange(Gb18030.GetBytes(Printable(text)));
        bytes.Add(0x0A);
        return this;
    }

    /// <summary>ESC d n: prints and feeds n lines.</summary>
    public EscPos Feed(int lines) => Raw(0x1B, 0x64, (byte)lines);

    /// <summary>GS V 66 n: feeds to the cutter (plus n dots) and cuts, leaving a point uncut.</summary>
    public EscPos Cut() => Raw(0x1D, 0x56, 66, 0);

    public byte[] ToArray() => [.. bytes];

    private EscPos Raw(params byte[] command)
    {
        bytes.AddRange(command);
        return this;
    }

    private static string Printable(string text) =>
        string.Create(text.Length, text, (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = char.IsControl(t[i]) ? ' ' : t[i];
            }
        });

    /// <summary>Columns a text takes on the paper: a Chinese (wide) character takes two.</summary>
    public static int Width(string text) => text.Sum(ColumnsOf);

    private static int ColumnsOf(char c) => char.IsLowSurrogate(c) ? 0 : IsWide(c) ? 2 : 1;

    private static bool IsWide(char c) =>
        c is >= '\u1100' and <= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3' or >= '\uF900' and <= '\uFAFF'
            or >= '\uFE30' and <= '\uFE4F' or >= '\uFF00' and <= '\uFF60' or >= '\uFFE0' and <= '\uFFE6' || char.IsHighSurrogate(c);

    /// <summary><paramref name="left"/> and <paramref name="right"/> on one line of <paramref name="columns"/>, the right one flush right.</summary>
    public static string Spread(string left, string right, int columns)
    {
        var gap = columns - Width(left) - Width(right);
        return gap >= 1 ? left + new string(' ', gap) + right : left + " " + right;
    }

    /// <summary>Breaks a text into lines of at most <paramref name="columns"/> columns.</summary>
    public static IEnumerable<string> Wrap(string text, int columns)
    {
        var line = new StringBuilder();
        var width = 0;
        foreach (var c in text)
        {
            var w = ColumnsOf(c);
            if (w > 0 && width + w > columns && line.Length > 0)
            {
                yield return line.ToString();
                line.Clear();
                width = 0;
            }
            line.Append(c);
            width += w;
        }
        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }
}
