using System.Globalization;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Controls;
using Compliance.Reporting.Csv;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Report;

/// <summary>
/// The HTML report of a finalised run, for people: one self-contained file (inline CSS, inline SVG
/// charts, a few lines of script to filter the findings; no request of any kind, enforced by its
/// Content-Security-Policy), readable on a laptop and printable. It shows the run and its
/// provenance, the scopes and which could not be read, problems by severity and category, the trend
/// over the tenant's last runs, the roll-up per framework with control titles where the framework
/// publishes them, every problem with its message, evidence, remediation and suppression, and what
/// was resolved. Everything that comes from the tenant is escaped. The CLI (<c>compliance report</c>,
/// <c>scan --out</c>) and the Functions app (<c>GET /api/runs/{runId}/report</c>) write this one page.
/// </summary>
public sealed class HtmlReport(IReportStore store, TimeProvider timeProvider)
{
    public const string FileName = "report.html";

    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>The page's Content-Security-Policy (also in its meta tag), for a server to send as a header: no request of any kind, only the page's own script.</summary>
    public static string ContentSecurityPolicy => ReportAssets.ContentSecurityPolicy;

    private static readonly Severity[] SeveritiesDown = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Informational];

    /// <summary>Writes the report of <paramref name="run"/> to <paramref name="writer"/>, reading its findings from the store.</summary>
    public async Task WriteAsync(RunRecord run, TextWriter writer, string toolVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(writer);
        var data = await new ReportReader(store, ControlCatalog.BuiltIn).ReadAsync(run, cancellationToken);
        var page = new Page(writer, data, ControlCatalog.BuiltIn, toolVersion, timeProvider.GetUtcNow());
        page.Write();
        await writer.FlushAsync(cancellationToken);
    }

    private sealed class Page(TextWriter w, ReportData d, ControlCatalog catalog, string toolVersion, DateTimeOffset now)
    {
        private RunRecord Run => d.Run;

        public void Write()
        {
            w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            w.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ReportAssets.ContentSecurityPolicy}\">\n");
            w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
            w.Write($"<title>Compliance report · {Html.Text(TenantName())} · {Html.Text(IsoTime.Minutes(Run.Provenance.CollectedAt ?? Run.StartedAt))}</title>\n");
            w.Write($"<style>{ReportAssets.Style}</style>\n</head>\n<body>\n");
            Header();
            w.Write("<main>\n");
            Summary();
            Provenance();
            Scopes();
            Breakdown();
            Trend();
            Frameworks();
            Findings();
            Resolved();
            Footer();
            w.Write("</main>\n");
            w.Write($"<script>{ReportAssets.Script}</script>\n</body>\n</html>\n");
        }

        private string TenantName() =>
            d.TenantName is { Length: > 0 } name ? name
            : Run.FindScope(ResourceIds.EntraScopeId(Run.TenantId)) is { DisplayName: { Length: > 0 } scopeName } ? scopeName
            : Run.TenantId;

        private void Header()
        {
            w.Write("<header class=\"top\"><div class=\"inner\">");
            w.Write($"<h1>Compliance report: {Html.Text(TenantName())}</h1>");
            w.Write($"<p>Tenant <span class=\"mono\">{Html.Text(Run.TenantId)}</span> · read {Html.Text(IsoTime.Minutes(Run.Provenance.CollectedAt ?? Run.StartedAt))} · run <span class=\"mono\">{Html.Text(Run.RunId)}</span> · <span class=\"badge {Run.Status.ToWire()}\" id=\"run-status\">{Run.Status.ToWire()}</span></p>");
            w.Write($"<p>{Html.Number(d.Resources)} resources in {Run.Scopes.Count} scope(s), checked by {Run.RuleIds.Count} rules of {Run.Packs.Count} pack(s).</p>");
            w.Write("</div></header>\n");
        }

        private void Summary()
        {
            int fail = d.Count(Outcome.Fail), error = d.Count(Outcome.Error), suppressed = d.Count(Outcome.Suppressed), pass = d.Count(Outcome.Pass);
            var severe = d.Problems.Where(p => p.Key.Severity >= Severity.High).Sum(p => p.Value);
            var unread = Run.Scopes.Count(s => s.Status != ScopeStatus.Ok);
            var sentence = fail + error == 0
                ? $"No open problems: all {Html.Number(pass)} checks pass{(suppressed > 0 ? $" ({Html.Number(suppressed)} accepted as exceptions)" : string.Empty)}."
                : $"{Html.Number(fail)} failing check(s) on {Html.Number(d.ResourcesWithProblems)} resource(s), {Html.Number(severe)} of the open problems critical or high"
                  + (error > 0 ? $"; {Html.Number(error)} could not be evaluated" : string.Empty)
                  + (unread > 0 ? $"; {unread} scope(s) could not be read completely, so nothing in them is reported as compliant" : string.Empty) + ".";
            if (Run.PreviousRunId is not null)
            {
                sentence += $" Since the previous run: {Html.Number(d.Count(HistoryStatus.New))} new, {Html.Number(d.Count(HistoryStatus.Regressed))} regressed, {Html.Number(d.Count(HistoryStatus.Resolved))} resolved.";
            }

            w.Write($"<div class=\"verdict{(fail + error == 0 ? " good" : string.Empty)}\" id=\"verdict\">{sentence}</div>\n");
            if (Run.Status == RunStatus.Suspect)
            {
                w.Write($"<div class=\"verdict\" id=\"suspect\"><b>This run is suspect: it resolved nothing.</b> {Html.Text(Run.SuspectReason)}</div>\n");
            }

            w.Write("<div class=\"row\"><div class=\"panel\">");
            w.Write(Charts.Donut(
                "chart-outcomes",
                "Findings by outcome",
                [new("pass", pass, "pass"), new("fail", fail, "fail"), new("error", error, "error"), new("suppressed", suppressed, "suppressed")],
                Html.Percent(pass, d.Evaluated),
                "of checks pass"));
            w.Write("</div><div class=\"grow\"><div class=\"cards\" id=\"cards\">");
            Card("fail", fail, "failing", "fail");
            Card("error", error, "could not be evaluated", "error");
            Card("suppressed", suppressed, "accepted exceptions", "suppressed");
            Card("pass", pass, "passing", "pass");
            Card("new", d.Count(HistoryStatus.New) + d.Count(HistoryStatus.Regressed), "new or regressed", string.Empty);
            Card("resolved", d.Count(HistoryStatus.Resolved), "resolved", string.Empty);
            w.Write("</div></div></div>\n");
        }

        private void Card(string id, int value, string label, string css) =>
            w.Write($"<div class=\"card {css}\" data-count=\"{id}\" data-value=\"{value}\"><div class=\"n\">{Html.Number(value)}</div><div class=\"l\">{Html.Text(label)}</div></div>");

        private void Provenance()
        {
            var p = Run.Provenance;
            w.Write("<h2 id=\"provenance\">The run and where its findings come from</h2>\n<div class=\"panel\"><dl class=\"facts\">");
            Fact("Run", $"<span class=\"mono\">{Html.Text(Run.RunId)}</span> <span class=\"badge {Run.Status.ToWire()}\">{Run.Status.ToWire()}</span>{(Run.ChangesAccepted ? " (changes accepted: " + Html.Text(Run.SuspectReason) + ")" : string.Empty)}");
            Fact("Tenant read", p.CollectedAt is { } collected ? Html.Text(IsoTime.Minutes(collected)) : "<span class=\"muted\">not recorded</span>");
            Fact("Scanned", $"{Html.Text(IsoTime.Minutes(Run.StartedAt))}{(Run.FinishedAt is { } finished ? " – " + Html.Text(IsoTime.Minutes(finished)) : string.Empty)}{(Run.Trigger is { } trigger ? " (" + Html.Text(trigger) + ")" : string.Empty)}");
            if (p.AsOf is { } asOf)
            {
                Fact("Evaluated as of", Html.Text(IsoTime.Minutes(asOf)));
            }

            if (p.SnapshotFile is not null || p.SnapshotSha256 is not null)
            {
                Fact("Snapshot", $"{Html.Text(p.SnapshotFile)} <span class=\"mono muted\">sha256 {Html.Text(p.SnapshotSha256)}</span>{(p.SnapshotComplete == false ? " <b>may be truncated</b>" : string.Empty)}");
            }

            Fact("Rule packs", string.Join("<br>", Run.Packs.Select(pack => $"{Html.Text(pack.Id)} {Html.Text(pack.Version)} <span class=\"mono muted\">{Html.Text(pack.ContentHash.Length > 16 ? pack.ContentHash[..16] : pack.ContentHash)}</span>")));
            if (p.Parameters.Count > 0)
            {
                Fact("Parameters", string.Join("<br>", p.Parameters.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"<span class=\"mono\">{Html.Text(x.Key)} = {Html.Text(x.Value)}</span>")));
            }

            Fact("Compared with", Run.PreviousRunId is { } previous ? $"<span class=\"mono\">{Html.Text(previous)}</span>" : "<span class=\"muted\">no earlier run: every problem is new</span>");
            if (p.BroadSuppressions.Count > 0)
            {
                Fact("Broad suppressions", $"<b>{string.Join(", ", p.BroadSuppressions.Select(Html.Text))}</b> cover every rule or every resource");
            }

            Fact("Tool", $"compliance {Html.Text(p.ToolVersion ?? toolVersion)}");
            w.Write("</dl></div>\n");
        }

        private void Fact(string name, string html) => w.Write($"<dt>{Html.Text(name)}</dt><dd>{html}</dd>");

        private void Scopes()
        {
            var unread = Run.Scopes.Where(s => s.Status != ScopeStatus.Ok).ToList();
            w.Write("<h2 id=\"scopes\">Scopes</h2>\n");
            w.Write(unread.Count == 0
                ? "<p>Every scope was read completely.</p>"
                : $"<p><b>{unread.Count} of {Run.Scopes.Count} scope(s) could not be read completely.</b> What was read there and fails is reported as failing; nothing in them is reported as compliant.</p>");
            var counted = Run.Scopes.Any(s => s.Resources is not null);
            w.Write($"<table id=\"scope-table\"><thead><tr><th>Scope</th><th>Status</th><th>Read</th>{(counted ? "<th class=\"num\">Resources</th>" : string.Empty)}<th>Detail</th></tr></thead><tbody>");
            foreach (var scope in Run.Scopes.OrderBy(s => s.Status == ScopeStatus.Ok).ThenBy(s => s.DisplayName ?? s.Id, StringComparer.OrdinalIgnoreCase))
            {
                w.Write($"<tr data-scope=\"{Html.Text(scope.Id)}\" data-status=\"{scope.Status.ToWire()}\"><td>{Html.Text(scope.DisplayName ?? ResourceIds.ScopeKind(scope.Id))}<br><span class=\"mono muted\">{Html.Text(scope.Id)}</span></td>");
                w.Write($"<td><span class=\"badge {scope.Status.ToWire()}\">{scope.Status.ToWire()}</span></td>");
                w.Write($"<td>{(scope.CollectedAt is { } at ? Html.Text(IsoTime.Minutes(at)) : string.Empty)}</td>");
                if (counted)
                {
                    w.Write($"<td class=\"num\">{(scope.Resources is { } n ? Html.Number(n) : string.Empty)}</td>");
                }

                w.Write($"<td>{Html.Text(scope.Error)}</td></tr>");
            }

            w.Write("</tbody></table>\n");
        }

        private void Breakdown()
        {
            var categories = d.Problems.Keys.Select(k => k.Category).Distinct().Order().ToList();
            w.Write("<h2 id=\"breakdown\">Open problems by severity and category</h2>\n<div class=\"row\"><div class=\"panel\">");
            w.Write(Charts.Bars("chart-severity", "Open problems (fail and error) by severity", SeveritiesDown.Select(s => new Charts.Part(s.ToWire(), d.Problems.Where(p => p.Key.Severity == s).Sum(p => p.Value), s.ToWire())).ToList()));
            w.Write("</div><div class=\"grow\">");
            if (categories.Count == 0)
            {
                w.Write("<p>No open problems.</p>");
            }
            else
            {
                var max = d.Problems.Values.DefaultIfEmpty(0).Max();
                w.Write("<table class=\"heat\" id=\"severity-category\"><thead><tr><th>Severity</th>");
                foreach (var category in categories)
                {
                    w.Write($"<th class=\"num\">{category.ToWire()}</th>");
                }

                w.Write("<th class=\"num\">all</th><th class=\"num\">accepted</th></tr></thead><tbody>");
                foreach (var severity in SeveritiesDown)
                {
                    w.Write($"<tr><td><span class=\"badge {severity.ToWire()}\">{severity.ToWire()}</span></td>");
                    foreach (var category in categories)
                    {
                        var n = d.Problems.GetValueOrDefault((severity, category));
                        var heat = n == 0 ? 0 : 1 + (int)Math.Min(3, Math.Floor(4.0 * (n - 1) / Math.Max(1, max)));
                        w.Write($"<td class=\"num h{heat}\" data-severity=\"{severity.ToWire()}\" data-category=\"{category.ToWire()}\">{n}</td>");
                    }

                    w.Write($"<td class=\"num\">{d.Problems.Where(p => p.Key.Severity == severity).Sum(p => p.Value)}</td><td class=\"num muted\">{d.SuppressedBySeverity.GetValueOrDefault(severity)}</td></tr>");
                }

                w.Write("<tr><th>all</th>");
                foreach (var category in categories)
                {
                    w.Write($"<td class=\"num\">{d.Problems.Where(p => p.Key.Category == category).Sum(p => p.Value)}</td>");
                }

                w.Write($"<td class=\"num\">{d.Problems.Values.Sum()}</td><td class=\"num muted\">{d.SuppressedBySeverity.Values.Sum()}</td></tr></tbody></table>");
                w.Write("<p class=\"muted\">Failing and not-evaluated findings; accepted exceptions (suppressed) apart.</p>");
            }

            w.Write("</div></div>\n");
        }

        private void Trend()
        {
            w.Write("<h2 id=\"trend\">Trend over the tenant's last runs</h2>\n");
            if (d.Trend.Count < 2)
            {
                w.Write("<p class=\"muted\">This is the tenant's first finalised run: the trend starts with it.</p>");
            }

            w.Write("<div class=\"panel\">");
            w.Write(Charts.Trend("chart-trend", "Failing and error findings per run", d.Trend, Run.RunId));
            w.Write("<p class=\"muted\"><span style=\"color:var(--fail)\">■</span> failing <span style=\"color:var(--error)\">■</span> could not be evaluated; a hollow point is a suspect run.</p></div>\n");
        }

        private void Frameworks()
        {
            w.Write("<h2 id=\"frameworks\">Frameworks</h2>\n");
            if (d.Frameworks.Count == 0)
            {
                w.Write("<p>No rule of the run maps to a framework control.</p>");
                return;
            }

            w.Write("<p class=\"muted\">A control fails when a rule mapped to it fails on some resource; it is <i>error</i> (not assessed) when a rule could not be evaluated; <i>not covered</i> counts the framework's controls that no rule of this run assesses.</p>");
            foreach (var framework in d.Frameworks)
            {
                var known = catalog.Find(framework.Framework);
                w.Write($"<section class=\"framework\" data-framework=\"{Html.Text(framework.Framework)}\" data-passed=\"{framework.Passed}\" data-failed=\"{framework.Failed}\" data-error=\"{framework.Error}\" data-suppressed=\"{framework.Suppressed}\" data-not-covered=\"{framework.NotCovered?.ToString(CultureInfo.InvariantCulture) ?? string.Empty}\">");
                w.Write($"<h3>{Html.Text(framework.Title)} <span class=\"muted mono\">{Html.Text(framework.Framework)}</span></h3>");
                List<Charts.Part> parts =
                [
                    new("passed", framework.Passed, "pass"), new("failed", framework.Failed, "fail"), new("error", framework.Error, "error"), new("suppressed", framework.Suppressed, "suppressed"),
                ];
                if (framework.NotCovered is { } notCovered)
                {
                    parts.Add(new("not covered", notCovered, "none"));
                }

                w.Write(Charts.Stacked("chart-framework-" + Slug(framework.Framework), $"{framework.Title}: controls by status", parts));
                w.Write($"<details{(framework.Failed + framework.Error > 0 ? " open" : string.Empty)}><summary>{framework.Controls.Count} control(s) assessed</summary>");
                w.Write("<table class=\"controls\"><thead><tr><th>Control</th><th>Title</th><th>Status</th><th class=\"num\">Resources failing</th><th class=\"num\">error</th><th class=\"num\">passing</th><th>Rules failing it</th></tr></thead><tbody>");
                foreach (var control in framework.Controls)
                {
                    var title = Html.Text(control.Title);
                    w.Write($"<tr data-control=\"{Html.Text(control.ControlId)}\" data-status=\"{control.Status.ToWire()}\"><td class=\"mono\">{Html.Text(control.ControlId)}</td><td>{title}</td><td><span class=\"badge {control.Status.ToWire()}\">{control.Status.ToWire()}</span></td>");
                    w.Write($"<td class=\"num\">{control.ResourcesFail}</td><td class=\"num\">{control.ResourcesError}</td><td class=\"num\">{control.ResourcesPass + control.ResourcesSuppressed}</td><td class=\"mono\">{Html.Text(string.Join(", ", control.FailingRules))}</td></tr>");
                }

                w.Write("</tbody></table></details>");
                if (known is not null)
                {
                    w.Write($"<p class=\"muted\">Titles: {Html.Text(known.Source)}{(known.Url is { } url ? $" <a href=\"{Html.Text(url)}\">{Html.Text(url)}</a>" : string.Empty)}</p>");
                }

                w.Write("</section>\n");
            }
        }

        private void Findings()
        {
            var problems = d.ProblemFindings;
            w.Write($"<h2 id=\"problems\">Every problem ({Html.Number(problems.Count)})</h2>\n");
            w.Write("<div class=\"filters\"><input id=\"q\" type=\"search\" placeholder=\"Filter by resource, rule, message, subscription…\" aria-label=\"Filter\">");
            w.Write("<select id=\"sev\" aria-label=\"Severity\"><option value=\"\">any severity</option>");
            foreach (var severity in SeveritiesDown)
            {
                w.Write($"<option value=\"{severity.ToWire()}\">{severity.ToWire()}</option>");
            }

            w.Write("</select><select id=\"out\" aria-label=\"Outcome\"><option value=\"\">any outcome</option><option>fail</option><option>error</option><option>suppressed</option></select>");
            w.Write("<select id=\"hist\" aria-label=\"History\"><option value=\"\">any history</option><option>new</option><option>regressed</option><option>persisting</option></select>");
            w.Write($"<span class=\"muted\"><span id=\"shown\">{problems.Count}</span> shown</span></div>\n");
            if (problems.Count == 0)
            {
                w.Write("<p>No failing, error or suppressed findings.</p>");
            }

            w.Write("<table id=\"findings\"><colgroup><col style=\"width:25%\"><col style=\"width:57%\"><col style=\"width:9%\"><col style=\"width:9%\"></colgroup><thead><tr><th>Resource</th><th>Finding</th><th>Outcome</th><th>History</th></tr></thead>\n");
            foreach (var group in problems.GroupBy(p => p.Finding.RuleId, StringComparer.Ordinal))
            {
                var first = group.First().Finding;
                w.Write($"<tbody class=\"rule\" data-rule=\"{Html.Text(first.RuleId + " " + first.RuleTitle)}\"><tr><th colspan=\"4\" class=\"rulehead\"><span class=\"badge {first.Severity.ToWire()}\">{first.Severity.ToWire()}</span> ");
                w.Write($"<span class=\"mono\">{Html.Text(first.RuleId)}</span> {Html.Text(first.RuleTitle)} <span class=\"muted\">· {first.Category.ToWire()} · {group.Count()} resource(s)</span>");
                if (first.Remediation is { Length: > 0 } remediation)
                {
                    w.Write($"<div class=\"remedy\"><b>Fix:</b> {Html.Text(remediation)}</div>");
                }

                if (first.Controls.Count > 0)
                {
                    w.Write($"<div class=\"remedy muted\">{Html.Text(FindingsCsvWriter.FormatControls(first.Controls))}</div>");
                }

                w.Write("</th></tr>\n");
                foreach (var stored in group)
                {
                    FindingRow(stored);
                }

                w.Write("</tbody>\n");
            }

            w.Write("</table>\n");
        }

        private void FindingRow(StoredFinding stored)
        {
            var f = stored.Finding;
            var status = stored.Status.ToWire();
            w.Write($"<tr class=\"finding\" data-finding-id=\"{Html.Text(f.FindingId)}\" data-severity=\"{f.Severity.ToWire()}\" data-outcome=\"{f.Outcome.ToWire()}\" data-status=\"{status}\">");
            w.Write($"<td><b class=\"resource-name\">{Html.Text(f.ResourceName)}</b><br><span class=\"muted\">{Html.Text(Where(stored))}</span><br><span class=\"mono muted\">{Html.Text(f.ResourceType)}</span></td>");
            w.Write($"<td class=\"what\"><div class=\"message\">{Html.Text(FindingText.Of(f))}</div>");
            var evidence = f.Evidence.Where(e => !e.Satisfied || f.Outcome == Outcome.Pass).ToList();
            if (evidence.Count > 0)
            {
                w.Write(evidence.Count > 6 ? $"<details><summary>{evidence.Count} observed values</summary>" : string.Empty);
                w.Write("<ul class=\"evidence\">");
                foreach (var item in evidence)
                {
                    w.Write($"<li><code>{Html.Text(item.Path)}</code> = <code>{Html.Text(item.Observed)}</code> <span class=\"muted\">(expected {Html.Text(item.Expected)})</span></li>");
                }

                w.Write(evidence.Count > 6 ? "</ul></details>" : "</ul>");
            }

            if (f.Outcome == Outcome.Suppressed)
            {
                w.Write($"<div class=\"supp\"><b>Accepted:</b> {Html.Text(f.SuppressionJustification)}{(f.SuppressionExpiresOn is { } expires ? " · until " + Html.Text(IsoTime.Minutes(expires)) : string.Empty)}{(f.SuppressionId is { } id ? " · <span class=\"mono\">" + Html.Text(id) + "</span>" : string.Empty)}{(f.SuppressionBroad == true ? " · <b>broad</b>" : string.Empty)}</div>");
            }

            if (stored.Carried)
            {
                w.Write("<div class=\"muted\">Carried from the previous run: not evaluated in this one.</div>");
            }

            w.Write($"</td><td><span class=\"badge {f.Outcome.ToWire()}\">{f.Outcome.ToWire()}</span></td><td>{(status.Length > 0 ? $"<span class=\"badge {status}\">{status}</span>" : string.Empty)}</td></tr>\n");
        }

        private string Where(StoredFinding stored)
        {
            var f = stored.Finding;
            var scope = d.ScopeName(stored.ScopeId);
            var group = ResourceIds.ResourceGroupIdOf(f.ResourceId) is { } groupId ? ResourceIds.LastSegment(groupId) : null;
            return group is null ? scope : $"{scope} / {group}";
        }

        private void Resolved()
        {
            w.Write($"<h2 id=\"resolved\">Resolved in this run ({Html.Number(d.ResolvedFindings.Count)})</h2>\n");
            if (d.ResolvedFindings.Count == 0)
            {
                w.Write(Run.Status == RunStatus.Suspect ? "<p>Nothing: a suspect run resolves nothing.</p>" : "<p>Nothing was resolved.</p>");
                return;
            }

            w.Write("<table id=\"resolved-table\"><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>How</th></tr></thead><tbody>");
            foreach (var stored in d.ResolvedFindings)
            {
                var f = stored.Finding;
                w.Write($"<tr data-finding-id=\"{Html.Text(f.FindingId)}\"><td><span class=\"badge {f.Severity.ToWire()}\">{f.Severity.ToWire()}</span></td><td><span class=\"mono\">{Html.Text(f.RuleId)}</span> {Html.Text(f.RuleTitle)}</td>");
                w.Write($"<td><b>{Html.Text(f.ResourceName)}</b><br><span class=\"muted\">{Html.Text(Where(stored))}</span></td><td>{(stored.Carried ? "resource gone" : "now passes")}</td></tr>");
            }

            w.Write("</tbody></table>\n");
        }

        private void Footer() =>
            w.Write($"<footer>Generated {Html.Text(IsoTime.Minutes(now))} by compliance {Html.Text(toolVersion)} from run <span class=\"mono\">{Html.Text(Run.RunId)}</span>. " +
                    "This page is self-contained: it loads nothing and sends nothing. The evidence for auditors (findings.csv, controls.csv, controls-summary.csv, a signed manifest) comes from <code>compliance export csv</code>.</footer>\n");

        private static string Slug(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
    }
}
