using System.Security.Cryptography;
using System.Text;

namespace Compliance.Reporting.Report;

/// <summary>
/// The report's style and its few lines of script, inline. The page's Content-Security-Policy allows
/// no request of any kind and runs only this script (by its SHA-256), so even markup that escaped
/// escaping could neither load anything nor run.
/// </summary>
internal static class ReportAssets
{
    public const string Style = """
        :root { --fg:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --card:#fff;
          --critical:#7f1d1d; --high:#dc2626; --medium:#d97706; --low:#2563eb; --informational:#6b7280;
          --pass:#15803d; --fail:#dc2626; --error:#7c3aed; --suppressed:#64748b; --none:#cbd5e1; }
        * { box-sizing: border-box; }
        body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; color:var(--fg); background:var(--bg); }
        main { max-width:1180px; margin:0 auto; padding:24px 28px 48px; }
        header.top { background:#0f172a; color:#f8fafc; padding:22px 28px; }
        header.top .inner { max-width:1180px; margin:0 auto; }
        header.top h1 { margin:0 0 4px; font-size:24px; font-weight:650; }
        header.top p { margin:2px 0; color:#cbd5e1; }
        h2 { font-size:18px; margin:34px 0 10px; padding-bottom:6px; border-bottom:2px solid var(--line); }
        h3 { font-size:15px; margin:18px 0 8px; }
        code, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; overflow-wrap:anywhere; }
        .verdict { font-size:16px; background:var(--card); border-left:5px solid var(--fail); padding:12px 16px; margin:18px 0; border-radius:4px; }
        .verdict.good { border-left-color:var(--pass); }
        .cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(128px,1fr)); gap:12px; margin:14px 0; }
        .card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
        .card .n { font-size:28px; font-weight:650; line-height:1.1; }
        .card .l { color:var(--muted); font-size:12.5px; }
        .card.fail .n { color:var(--fail); } .card.error .n { color:var(--error); } .card.pass .n { color:var(--pass); } .card.suppressed .n { color:var(--suppressed); }
        .row { display:flex; flex-wrap:wrap; gap:24px; align-items:flex-start; } .row > .grow { flex:1 1 420px; min-width:0; overflow-x:auto; }
        .panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:14px 16px; }
        table { border-collapse:collapse; width:100%; background:var(--card); }
        th, td { text-align:left; vertical-align:top; padding:6px 8px; border-bottom:1px solid var(--line); }
        thead th { white-space:nowrap; } #findings td { overflow-wrap:anywhere; }
        th { font-size:12px; text-transform:uppercase; letter-spacing:.03em; color:var(--muted); font-weight:600; }
        td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
        dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; margin:0; }
        dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
        .badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; background:var(--muted); white-space:nowrap; }
        .badge.critical { background:var(--critical); } .badge.high { background:var(--high); } .badge.medium { background:var(--medium); }
        .badge.low { background:var(--low); } .badge.informational { background:var(--informational); }
        .badge.pass, .badge.ok, .badge.completed { background:var(--pass); } .badge.fail { background:var(--fail); }
        .badge.error, .badge.incomplete { background:var(--error); } .badge.suppressed { background:var(--suppressed); }
        .badge.suspect { background:#b45309; } .badge.new, .badge.regressed { background:#ea580c; } .badge.persisting { background:#94a3b8; } .badge.resolved { background:var(--pass); }
        .muted { color:var(--muted); }
        .heat td.num { font-weight:600; } .heat th { letter-spacing:0; padding:6px 6px; } .heat td { padding:6px 6px; }
        .heat td.h0 { color:#cbd5e1; font-weight:400; } .heat td.h1 { background:#fee2e2; } .heat td.h2 { background:#fecaca; } .heat td.h3 { background:#fca5a5; } .heat td.h4 { background:#f87171; color:#fff; }
        svg.chart { max-width:100%; height:auto; font-size:12px; }
        svg .ring { stroke:var(--line); } svg .big { font-size:26px; font-weight:650; fill:var(--fg); } svg .small, svg .axis, svg .label { fill:var(--muted); }
        svg .value { fill:var(--fg); font-weight:600; } svg .grid { stroke:var(--line); } svg .axis.current { fill:var(--fg); font-weight:700; }
        svg .line { stroke-width:2.5; } svg .line.fail { stroke:var(--fail); } svg .line.error { stroke:var(--error); }
        svg .point.fail { fill:var(--fail); } svg .point.error { fill:var(--error); } svg .point.hollow { fill:#fff; stroke-width:2; } svg .point.fail.hollow { stroke:var(--fail); } svg .point.error.hollow { stroke:var(--error); }
        svg .value.fail { fill:var(--fail); } svg .value.error { fill:var(--error); }
        .seg.pass { stroke:var(--pass); } .seg.fail { stroke:var(--fail); } .seg.error { stroke:var(--error); } .seg.suppressed { stroke:var(--suppressed); }
        .bar.pass, .key.pass { fill:var(--pass); } .bar.fail, .key.fail { fill:var(--fail); } .bar.error, .key.error { fill:var(--error); } .bar.suppressed, .key.suppressed { fill:var(--suppressed); } .bar.none, .key.none { fill:var(--none); }
        .bar.critical { fill:var(--critical); } .bar.high { fill:var(--high); } .bar.medium { fill:var(--medium); } .bar.low { fill:var(--low); } .bar.informational { fill:var(--informational); }
        .filters { position:sticky; top:0; z-index:2; display:flex; flex-wrap:wrap; gap:10px; align-items:center; background:var(--bg); padding:10px 0; }
        .filters input[type=search] { flex:1 1 260px; padding:7px 10px; border:1px solid #cbd5e1; border-radius:6px; font:inherit; }
        .filters select { padding:6px; border:1px solid #cbd5e1; border-radius:6px; font:inherit; background:#fff; }
        #findings tbody.rule th.rulehead { text-transform:none; letter-spacing:0; font-size:14px; color:var(--fg); background:#f1f5f9; padding:10px 8px; border-top:2px solid #cbd5e1; }
        #findings .remedy { font-weight:400; color:var(--fg); margin-top:4px; }
        #findings { table-layout:fixed; }
        #findings ul.evidence { margin:4px 0 0; padding-left:18px; color:#374151; }
        #findings .supp { margin-top:4px; padding:4px 8px; background:#f1f5f9; border-radius:4px; }
        tr.hidden, tbody.hidden { display:none; }
        footer { margin-top:40px; color:var(--muted); font-size:12.5px; border-top:1px solid var(--line); padding-top:12px; }
        details > summary { cursor:pointer; color:#1d4ed8; }
        a { color:#1d4ed8; }
        @media print {
          body { background:#fff; font-size:11px; } main { max-width:none; padding:0 6mm; }
          header.top { background:#fff; color:#000; padding:0 6mm 8px; border-bottom:2px solid #000; } header.top p { color:#333; }
          .filters { display:none; } tr.hidden, tbody.hidden { display:table-row-group; } tr.hidden { display:table-row; }
          h2 { break-after:avoid; } tr, .card, .panel, svg { break-inside:avoid; }
          .badge { color:#000; border:1px solid #000; background:#fff !important; }
          details > summary { display:none; } details > * { display:block; }
          a { color:#000; text-decoration:none; }
        }
        """;

    public const string Script = """
        (function () {
          var q = document.getElementById('q'), sev = document.getElementById('sev'), out = document.getElementById('out'), hist = document.getElementById('hist'), shown = document.getElementById('shown');
          if (!q) { return; }
          function apply() {
            var text = q.value.trim().toLowerCase(), n = 0;
            document.querySelectorAll('#findings tbody.rule').forEach(function (group) {
              var any = false;
              group.querySelectorAll('tr.finding').forEach(function (row) {
                var ok = (!text || row.textContent.toLowerCase().indexOf(text) >= 0 || group.dataset.rule.toLowerCase().indexOf(text) >= 0)
                  && (!sev.value || row.dataset.severity === sev.value)
                  && (!out.value || row.dataset.outcome === out.value)
                  && (!hist.value || row.dataset.status === hist.value);
                row.classList.toggle('hidden', !ok);
                if (ok) { any = true; n++; }
              });
              group.classList.toggle('hidden', !any);
            });
            shown.textContent = n;
          }
          [q, sev, out, hist].forEach(function (el) { el.addEventListener('input', apply); });
          apply();
        })();
        """;

    /// <summary>The page's Content-Security-Policy: nothing may be requested; only <see cref="Script"/> runs.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)))}'; base-uri 'none'; form-action 'none'";
}
