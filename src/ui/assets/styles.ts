// The console's stylesheet (served at /ui/assets/ui.css).
export const STYLES_CSS = `
:root { --fg:#1b1f24; --muted:#5b6573; --line:#dde2e8; --bg:#f6f7f9; --card:#fff; --accent:#2457c5;
  --ok:#137333; --bad:#b3261e; --warn:#a15c00; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); background:var(--bg); font-size:14px; line-height:1.45; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
header.top { display:flex; align-items:center; gap:20px; padding:10px 24px; background:#111827; color:#fff; }
header.top .brand { font-weight:700; font-size:16px; color:#fff; letter-spacing:.2px; }
header.top nav a { color:#cbd5e1; margin-right:14px; } header.top nav a.on { color:#fff; font-weight:600; }
header.top .who { margin-left:auto; color:#cbd5e1; display:flex; gap:10px; align-items:center; }
header.top .who button { background:none; border:1px solid #475569; color:#e2e8f0; padding:3px 10px; border-radius:6px; cursor:pointer; }
main { max-width:1200px; margin:0 auto; padding:20px 24px 48px; }
h1 { font-size:22px; margin:4px 0 16px; } h2 { font-size:16px; margin:0 0 10px; } h3 { font-size:14px; margin:12px 0 6px; }
.crumbs { color:var(--muted); margin-bottom:4px; }
.grid { display:grid; gap:16px; grid-template-columns:repeat(auto-fit, minmax(200px, 1fr)); margin-bottom:16px; }
.grid.two { grid-template-columns:repeat(auto-fit, minmax(440px, 1fr)); } .grid.three { grid-template-columns:repeat(auto-fit, minmax(330px, 1fr)); }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px; margin-bottom:16px; }
.stat .v { font-size:24px; font-weight:650; } .stat .l { color:var(--muted); }
table { width:100%; border-collapse:collapse; } th, td { text-align:left; padding:7px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; letter-spacing:.3px; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; font-weight:600; background:#e5e7eb; color:#374151; }
.badge.active, .badge.completed, .badge.ok, .badge.promote, .badge.promoted { background:#dcfce7; color:var(--ok); }
.badge.rejected, .badge.failed, .badge.reject, .badge.canceled { background:#fde2e1; color:var(--bad); }
.badge.candidate, .badge.running, .badge.queued, .badge.waiting_external { background:#e0ebff; color:var(--accent); }
.muted { color:var(--muted); } .small { font-size:12px; } .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; }
.empty { color:var(--muted); padding:18px; text-align:center; border:1px dashed var(--line); border-radius:8px; background:#fbfbfc; }
.error-box { border:1px solid #f3b8b5; background:#fff4f3; color:var(--bad); padding:12px 14px; border-radius:8px; margin-bottom:16px; }
.flash { border:1px solid #b7e1c1; background:#f0fbf3; color:var(--ok); padding:10px 14px; border-radius:8px; margin-bottom:16px; }
.chart { position:relative; height:260px; }
.chart .chart-note { position:absolute; inset:0; display:flex; align-items:center; justify-content:center; text-align:center; padding:0 24px; pointer-events:none; }
.chart[data-chart-state=ready] .chart-note { display:none; } .chart[data-chart-state=error] .chart-note { color:var(--bad); }
.chart[data-chart-state=error] canvas { visibility:hidden; }
.live-status { border:1px solid #f1d49b; background:#fff9ec; color:var(--warn); padding:8px 12px; border-radius:8px; margin-bottom:10px; }
form[aria-busy=true] { opacity:.7; cursor:progress; } button:disabled { opacity:.6; cursor:progress; }
form.inline { display:inline-flex; flex-wrap:wrap; gap:6px; align-items:center; margin:0; } button { white-space:nowrap; }
input, select, textarea { font:inherit; padding:5px 8px; border:1px solid #c7ced6; border-radius:6px; background:#fff; }
button, .button { font:inherit; padding:5px 12px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); } button.danger { background:var(--bad); border-color:var(--bad); }
.filters { display:flex; flex-wrap:wrap; gap:8px; align-items:end; margin-bottom:12px; } .filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
pre.text { white-space:pre-wrap; word-break:break-word; background:#f8fafc; border:1px solid var(--line); border-radius:8px; padding:10px; margin:0; max-height:420px; overflow:auto; font-size:13px; }
.pair { display:grid; grid-template-columns:1fr 1fr; gap:12px; }
.timeline { display:flex; gap:8px; flex-wrap:wrap; } .timeline .v { border:1px solid var(--line); border-radius:8px; padding:6px 10px; background:#fff; min-width:90px; }
.timeline .v.active { border-color:var(--ok); box-shadow:0 0 0 1px var(--ok) inset; }
.progress { height:8px; background:#e5e7eb; border-radius:99px; overflow:hidden; } .progress > div { height:100%; background:var(--accent); }
.login { max-width:380px; margin:80px auto; }
.login input { width:100%; margin:6px 0 12px; }
dl.kv { display:grid; grid-template-columns:max-content 1fr; gap:4px 14px; margin:0; } dl.kv dt { color:var(--muted); }
`;
