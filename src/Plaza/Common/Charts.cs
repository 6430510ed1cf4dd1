using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Plaza.Common;

/// <summary>One bar: what it is (a date), its value, and how the value reads to a person ("12", "€45.00").</summary>
public sealed record ChartBar(string Label, double Value, string Shown);

/// <summary>
/// Small charts drawn on the server as SVG, so a report needs no script and no chart library (the CSP allows neither
/// inline styles nor third-party code). Each is an image with a title and a description for screen readers; the page
/// shows the same numbers in a table beside it. The viewBox scales the drawing to the width it is given, down to a
/// 360 px phone; colours come from console.css (<c>.chart-bar</c>, <c>.chart-bar.below</c>, <c>.chart-axis</c>).
/// </summary>
public static class Charts
{
    private const double Width = 640, Height = 200, Top = 20, Bottom = Height - 24;

    /// <summary>
    /// Bars from a common baseline, one per value in order (a daily series); or, when <paramref name="diverging"/>, bars
    /// up and down from a middle line (deviations), below ones marked so they read apart without colour too.
    /// </summary>
    /// <param name="scale">How the largest value (or largest distance from zero) is written at the chart's edge.</param>
    public static IHtmlContent Bars(string id, string title, string description, IReadOnlyList<ChartBar> bars, Func<double, string> scale, bool diverging = false)
    {
        var e = HtmlEncoder.Default;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{e.Encode(id)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\" width=\"100%\" role=\"img\" aria-labelledby=\"{e.Encode(id)}-title {e.Encode(id)}-desc\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{e.Encode(id)}-title\">{e.Encode(title)}</title><desc id=\"{e.Encode(id)}-desc\">{e.Encode(description)}</desc>");

        var largest = bars.Select(b => diverging ? Math.Abs(b.Value) : Math.Max(0, b.Value)).DefaultIfEmpty(0).Max();
        var unit = largest > 0 ? largest : 1;
        var baseline = diverging ? (Top + Bottom) / 2 : Bottom;
        var reach = baseline - Top;
        var slot = Width / Math.Max(1, bars.Count);
        var gap = slot > 4 ? slot * 0.15 : 0;
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var value = diverging ? bar.Value : Math.Max(0, bar.Value);
            var height = Math.Abs(value) / unit * reach;
            var y = value >= 0 ? baseline - height : baseline;
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"chart-bar{(value < 0 ? " below" : "")}\" x=\"{N((i * slot) + gap)}\" y=\"{N(y)}\" width=\"{N(slot - (2 * gap))}\" height=\"{N(height)}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{e.Encode(bar.Label)}: {e.Encode(bar.Shown)}</title></rect>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-axis\" x1=\"0\" x2=\"{N(Width)}\" y1=\"{N(baseline)}\" y2=\"{N(baseline)}\"></line>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-value\" x=\"0\" y=\"{N(Top - 6)}\">{e.Encode((diverging ? "+" : "") + scale(largest))}</text>");
        if (diverging)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-value\" x=\"0\" y=\"{N(Bottom + 14)}\">{e.Encode("−" + scale(largest))}</text>");
        }
        if (bars.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-label\" x=\"{N(Width)}\" y=\"{N(Height - 2)}\" text-anchor=\"end\">{e.Encode(bars[0].Label)} – {e.Encode(bars[^1].Label)}</text>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
