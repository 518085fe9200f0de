using System.Globalization;
using System.Text;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Report;

/// <summary>
/// The report's charts as inline SVG (no script, no fonts, no requests). Every mark carries its
/// label and number as data-label / data-value and as visible text, so the chart reads without colour
/// and prints in black and white; colours come from CSS classes.
/// </summary>
internal static class Charts
{
    /// <summary>A part of a chart: its label, its number, and the CSS class that colours it.</summary>
    public readonly record struct Part(string Label, int Value, string Css);

    /// <summary>A ring of the parts with a figure in the middle.</summary>
    public static string Donut(string id, string title, IReadOnlyList<Part> parts, string centre, string centreCaption)
    {
        const double R = 70, Stroke = 26, Size = 180, C = Size / 2;
        var total = parts.Sum(p => p.Value);
        var svg = Open(id, title, Size, Size);
        svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"ring\" cx=\"{C}\" cy=\"{C}\" r=\"{R}\" fill=\"none\" stroke-width=\"{Stroke}\"/>");
        var circumference = 2 * Math.PI * R;
        var offset = 0.0;
        foreach (var part in parts)
        {
            var length = total == 0 ? 0 : circumference * part.Value / total;
            svg.Append(CultureInfo.InvariantCulture,
                $"<circle class=\"seg {part.Css}\" data-label=\"{Html.Text(part.Label)}\" data-value=\"{part.Value}\" cx=\"{C}\" cy=\"{C}\" r=\"{R}\" fill=\"none\" stroke-width=\"{Stroke}\" " +
                $"stroke-dasharray=\"{F(length)} {F(circumference - length)}\" stroke-dashoffset=\"{F(-offset)}\" transform=\"rotate(-90 {C} {C})\"><title>{Html.Text(part.Label)}: {part.Value}</title></circle>");
            offset += length;
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"big\" x=\"{C}\" y=\"{C + 4}\" text-anchor=\"middle\">{Html.Text(centre)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"small\" x=\"{C}\" y=\"{C + 24}\" text-anchor=\"middle\">{Html.Text(centreCaption)}</text>");
        return Close(svg);
    }

    /// <summary>One horizontal bar per part, scaled to the largest, with its number at the end.</summary>
    public static string Bars(string id, string title, IReadOnlyList<Part> parts)
    {
        const int Width = 330, Row = 28, LabelWidth = 96, NumberWidth = 40;
        var max = Math.Max(1, parts.Count == 0 ? 1 : parts.Max(p => p.Value));
        var height = Math.Max(Row, parts.Count * Row);
        var svg = Open(id, title, Width, height);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var y = i * Row;
            var length = (Width - LabelWidth - NumberWidth) * (double)part.Value / max;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{y + 18}\" text-anchor=\"end\">{Html.Text(part.Label)}</text>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar {part.Css}\" data-label=\"{Html.Text(part.Label)}\" data-value=\"{part.Value}\" x=\"{LabelWidth}\" y=\"{y + 5}\" width=\"{F(Math.Max(length, part.Value > 0 ? 2 : 0))}\" height=\"{Row - 10}\" rx=\"3\"><title>{Html.Text(part.Label)}: {part.Value}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{F(LabelWidth + length + 6)}\" y=\"{y + 18}\">{part.Value}</text>");
        }

        return Close(svg);
    }

    /// <summary>One bar split into the parts, each as wide as its share, with a legend of numbers under it.</summary>
    public static string Stacked(string id, string title, IReadOnlyList<Part> parts)
    {
        const int Width = 640, BarHeight = 22, Height = 50;
        var total = parts.Sum(p => p.Value);
        var svg = Open(id, title, Width, Height);
        var x = 0.0;
        foreach (var part in parts)
        {
            var width = total == 0 ? 0 : Width * (double)part.Value / total;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar {part.Css}\" data-label=\"{Html.Text(part.Label)}\" data-value=\"{part.Value}\" x=\"{F(x)}\" y=\"0\" width=\"{F(width)}\" height=\"{BarHeight}\"><title>{Html.Text(part.Label)}: {part.Value}</title></rect>");
            x += width;
        }

        var legendX = 0;
        foreach (var part in parts)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"key {part.Css}\" x=\"{legendX}\" y=\"{BarHeight + 12}\" width=\"10\" height=\"10\"/>");
            var text = $"{part.Label} {part.Value}";
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{legendX + 14}\" y=\"{BarHeight + 21}\">{Html.Text(text)}</text>");
            legendX += 24 + (text.Length * 7);
        }

        return Close(svg);
    }

    /// <summary>
    /// The tenant's last runs: failing and error findings as lines, what was new and resolved as
    /// figures under each run; this run is marked, a suspect run drawn hollow.
    /// </summary>
    public static string Trend(string id, string title, IReadOnlyList<RunRecord> runs, string currentRunId)
    {
        const int Width = 1060, Height = 240, Left = 60, Right = 60, Top = 18, Bottom = 62;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = Math.Max(1, runs.Max(r => Math.Max(r.Counts?.Fail ?? 0, r.Counts?.Error ?? 0)));
        var step = runs.Count > 1 ? plotWidth / (double)(runs.Count - 1) : 0;
        double X(int i) => runs.Count > 1 ? Left + (i * step) : Left + (plotWidth / 2.0);
        double Y(int value) => Top + plotHeight - (plotHeight * (double)value / max);

        var svg = Open(id, title, Width, Height);
        foreach (var tick in new[] { 0, max / 2, max }.Distinct())
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(tick))}\" y2=\"{F(Y(tick))}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{tick}</text>");
        }

        foreach (var (series, css, value) in new (string, string, Func<RunCounts?, int>)[] { ("fail", "fail", c => c?.Fail ?? 0), ("error", "error", c => c?.Error ?? 0) })
        {
            var points = string.Join(' ', runs.Select((r, i) => $"{F(X(i))},{F(Y(value(r.Counts)))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"line {css}\" fill=\"none\" points=\"{points}\"/>");
            for (var i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                var v = value(run.Counts);
                var hollow = run.Status == RunStatus.Suspect ? " hollow" : string.Empty;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle class=\"point {css}{hollow}\" data-series=\"{series}\" data-run=\"{Html.Text(run.RunId)}\" data-value=\"{v}\" cx=\"{F(X(i))}\" cy=\"{F(Y(v))}\" r=\"4\"><title>{Html.Text(run.RunId)}: {v} {series}</title></circle>");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value {css}\" x=\"{F(X(i))}\" y=\"{F(Y(v) - 8)}\" text-anchor=\"middle\">{v}</text>");
            }
        }

        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var current = run.RunId == currentRunId ? " current" : string.Empty;
            var date = (run.Provenance.CollectedAt ?? run.StartedAt).ToUniversalTime().ToString("MMM d", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis{current}\" x=\"{F(X(i))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Html.Text(date)}</text>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text class=\"axis delta\" data-run=\"{Html.Text(run.RunId)}\" data-new=\"{run.Counts?.New ?? 0}\" data-resolved=\"{run.Counts?.Resolved ?? 0}\" x=\"{F(X(i))}\" y=\"{Height - Bottom + 36}\" text-anchor=\"middle\">+{(run.Counts?.New ?? 0) + (run.Counts?.Regressed ?? 0)} / −{run.Counts?.Resolved ?? 0}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left}\" y=\"{Height - 6}\">+ new or regressed / − resolved, per run</text>");
        return Close(svg);
    }

    private static StringBuilder Open(string id, string title, double width, double height)
    {
        var svg = new StringBuilder(2048);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-label=\"{Html.Text(title)}\" viewBox=\"0 0 {F(width)} {F(height)}\" width=\"{F(width)}\" height=\"{F(height)}\"><title>{Html.Text(title)}</title>");
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
