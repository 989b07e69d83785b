using System.Globalization;
using System.Net;
using System.Text;
using Orchestrator.Chaos.Checkers;
using Orchestrator.Chaos.History;
using Orchestrator.Chaos.Runs;

namespace Orchestrator.Chaos.Report;

/// <summary>
/// One self-contained HTML page per run: the verdict, each key's result, and the history as a timeline (a row per
/// client, a bar per operation from call to return) with faults shaded and the operations around a violation outlined
/// in red. Hovering a bar shows the operation.
/// </summary>
public static class HtmlReport
{
    private const int Width = 1600;
    private const int RowHeight = 14;
    private const int Left = 80;
    private const int MaxDrawn = 20_000;

    public static string Render(RunResult result)
    {
        var history = result.History;
        var culprits = result.Linearizability.Violations.SelectMany(v => v.Culprits ?? []).ToHashSet();
        // A long run has hundreds of thousands of operations: draw every write, failure and culprit, and a sample of reads.
        var all = history.Operations;
        var readShare = Math.Min(1.0, MaxDrawn / (double)Math.Max(1, all.Count(o => o.Kind == "read")));
        var drawn = all.Where(o => o.Kind != "read" || o.Outcome != Outcome.Ok || culprits.Contains(o.Id) || (o.Id * 2654435761L % 1000) < readShare * 1000).ToList();
        var processes = history.Operations.Select(o => o.Process).Distinct().Order().ToList();
        var row = processes.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var end = Math.Max(1, history.DurationNanos);
        double X(long t) => Left + (Width - Left - 10) * (double)Math.Min(t, end) / end;
        var height = processes.Count * RowHeight + 40;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"monospace\" font-size=\"10\">");
        foreach (var fault in history.Faults)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(fault.Start):F1}\" y=\"0\" width=\"{Math.Max(1, X(fault.End) - X(fault.Start)):F1}\" height=\"{height - 20}\" fill=\"#f6c\" fill-opacity=\"0.15\"><title>{Escape($"{fault.Kind} {fault.Target}")}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(fault.Start) + 2:F1}\" y=\"{height - 8}\" fill=\"#a3a\">{Escape(fault.Kind)}</text>");
        }
        foreach (var (process, index) in row)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"{index * RowHeight + 11}\">client {process}</text>");
        foreach (var op in drawn)
        {
            var y = row[op.Process] * RowHeight + 2;
            var complete = op.Outcome == Outcome.Info ? Math.Max(op.Complete, op.Invoke + 1) : op.Complete;
            var color = op.Outcome switch
            {
                Outcome.Fail => "#bbb",
                Outcome.Info => "#f90",
                _ => op.Kind == "read" ? "#48c" : "#3a3",
            };
            var stroke = culprits.Contains(op.Id) ? " stroke=\"#e00\" stroke-width=\"2\"" : "";
            var text = $"#{op.Id} {Checkers.RegisterModelText.Describe(op)} [{op.Outcome}] replica {op.Replica}, {(op.Complete - op.Invoke) / 1e6:F1} ms{(op.Error is null ? "" : " — " + op.Error)}";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(op.Invoke):F1}\" y=\"{y}\" width=\"{Math.Max(1.5, X(complete) - X(op.Invoke)):F1}\" height=\"{RowHeight - 4}\" fill=\"{color}\"{stroke}><title>{Escape(text)}</title></rect>");
        }
        svg.Append("</svg>");

        var keys = new StringBuilder("<table><tr><th>key</th><th>verdict</th><th>ops checked</th><th>why</th></tr>");
        foreach (var key in result.Linearizability.Keys)
            keys.Append(CultureInfo.InvariantCulture, $"<tr class=\"{key.Verdict}\"><td>{Escape(key.Key)}</td><td>{key.Verdict}</td><td>{key.Operations}</td><td>{Escape(key.Explanation ?? "")}</td></tr>");
        keys.Append("</table>");
        keys.Append("<table><tr><th>checker</th><th>verdict</th><th>what it counted</th><th>problems (first 50)</th></tr>");
        foreach (var check in result.Checks)
            keys.Append(CultureInfo.InvariantCulture, $"<tr class=\"{check.Verdict}\"><td>{Escape(check.Name)}</td><td>{check.Verdict}</td><td>{Escape(check.Summary)}</td><td>{string.Join("<br>", check.Problems.Take(50).Select(Escape))}</td></tr>");
        keys.Append("</table>");
        keys.Append(CultureInfo.InvariantCulture, $"<p>{drawn.Count} of {all.Count} operations drawn (every write, failure and culprit; a sample of successful reads).</p>");

        return $$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>chaos run: {{Escape(result.VerdictLine())}}</title>
            <style>
              body { font-family: sans-serif; margin: 1em; }
              table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 2px 8px; }
              tr.Illegal { background: #fdd; } tr.Unknown { background: #ffd; }
              .legend span { display: inline-block; padding: 0 6px; margin-right: 6px; }
            </style></head>
            <body>
            <h1>{{Escape(result.VerdictLine())}}</h1>
            <div class="legend"><span style="background:#48c;color:#fff">read ok</span><span style="background:#3a3;color:#fff">cas ok</span>
            <span style="background:#bbb">fail</span><span style="background:#f90">unknown</span><span style="background:#fce">fault</span>
            <span style="border:2px solid #e00">around a violation</span></div>
            {{keys}}
            <div style="overflow-x:auto">{{svg}}</div>
            </body></html>
            """;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
