/**
 * The dashboard's one HTML document. The script (`/web/dashboard.js`, built from `web/*.ts`) renders everything
 * with DOM calls and textContent, so data never becomes markup; the CSP below forbids any other script.
 */
export const DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export const DASHBOARD_HTML = `<!doctype html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>電子發票作業看板 · e-Invoice operations</title>
<style>
:root { --bg:#f4f5f7; --card:#fff; --ink:#1d2330; --muted:#5d6678; --line:#dde1e8; --accent:#1f5fbf;
  --past:#7a0d1f; --over:#c62828; --rej:#8e24aa; --soon:#a65800; --unc:#546e7a; --ok:#2e7d32; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; background:var(--bg); color:var(--ink); }
header { display:flex; flex-wrap:wrap; gap:8px 16px; align-items:center; padding:10px 16px; background:#14213d; color:#fff; }
header h1 { font-size:18px; margin:0; flex:1 1 auto; }
header small { color:#c9d3e6; }
#status { font-size:12px; padding:2px 8px; border-radius:10px; background:#2e7d32; }
#status.stale { background:#c62828; }
button { font:inherit; padding:5px 12px; border-radius:6px; border:1px solid var(--line); background:#fff; cursor:pointer; }
button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
button.danger { background:var(--over); border-color:var(--over); color:#fff; }
button:disabled { opacity:.5; cursor:not-allowed; }
main { display:grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap:14px; padding:14px; max-width:1600px; margin:0 auto; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; min-width:0; }
section.wide { grid-column: 1 / -1; }
section h2 { font-size:15px; margin:0 0 8px; }
section h2 span { color:var(--muted); font-weight:normal; font-size:12px; margin-left:6px; }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:5px 6px; border-bottom:1px solid var(--line); white-space:nowrap; }
th { color:var(--muted); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.badge { display:inline-block; padding:1px 7px; border-radius:9px; color:#fff; font-size:12px; }
.b-past_legal { background:var(--past); } .b-overdue { background:var(--over); } .b-rejected { background:var(--rej); }
.b-due_soon { background:var(--soon); } .b-unconfirmed { background:var(--unc); } .b-low { background:var(--over); }
.b-open { background:var(--over); } .b-acknowledged { background:var(--soon); } .b-resolved { background:var(--ok); }
.bar { position:relative; height:14px; background:#e7eaf0; border-radius:7px; overflow:hidden; min-width:120px; }
.bar > div { position:absolute; inset:0 auto 0 0; background:var(--accent); transition: width .4s; }
.bar > div.failed { background:var(--over); }
.bar.low > div { background:var(--over); }
.muted { color:var(--muted); }
.empty { color:var(--muted); padding:8px 0; }
#signin { max-width:460px; margin:60px auto; background:#fff; border:1px solid var(--line); border-radius:10px; padding:20px; }
#signin input { width:100%; padding:8px; font:inherit; margin:8px 0 12px; border:1px solid var(--line); border-radius:6px; }
.error { color:var(--over); min-height:1.4em; }
#detail { position:fixed; inset:0; background:rgba(10,15,30,.45); display:flex; justify-content:flex-end; }
#detail[hidden], #signin[hidden], main[hidden], nav[hidden], .view[hidden] { display:none; }
nav { display:flex; flex-wrap:wrap; gap:4px; padding:6px 16px 0; background:#14213d; }
nav a { color:#dfe6f3; text-decoration:none; padding:8px 14px; min-height:32px; border-radius:8px 8px 0 0; }
nav a[aria-current="page"] { background:var(--bg); color:var(--ink); font-weight:600; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline:3px solid #f2b300; outline-offset:2px; }
.view { padding:14px; max-width:1600px; margin:0 auto; }
/* Finance views (reconciliation, imports, tracks): labelled fields, highlighted row errors, tap targets of 32 px. */
.view section { margin-bottom:14px; }
.field { display:inline-flex; flex-direction:column; gap:2px; font-size:12px; color:var(--muted); }
.field input, .field select { font-size:14px; color:var(--ink); min-height:32px; }
.view button, .view a { min-height:32px; }
.view .actions a { display:inline-flex; align-items:center; padding:0 4px; }
tr.row-error td { background:#fdecea; }
.view pre { background:#f7f8fa; padding:8px; border-radius:6px; font-size:12px; }
#detail > div { background:#fff; width:min(720px, 100%); height:100%; overflow:auto; padding:16px; }
#detail h3 { margin:14px 0 6px; font-size:14px; }
#detail table { display:block; overflow-x:auto; }
.actions { display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin:8px 0; }
.actions input, .actions select { font:inherit; padding:5px; border:1px solid var(--line); border-radius:6px; min-width:0; }
svg text { font-size:10px; fill:var(--muted); }
a { color:var(--accent); }
/* ---- 發票 Invoices view (invoices-view.ts), the invoice detail and the overview's fixes (issue 19 items 2, 7, 8) ---- */
/* White text on every badge is at least 4.5:1 (AA): --soon was #ef8f00 (2.4:1), now #a65800 (5.2:1). */
.b-on_time { background:var(--unc); } .b-done { background:var(--ok); }
/* Focus rings 3:1 against what is behind them: blue on the light page, the yellow stays on the dark header. */
main :focus-visible, .view :focus-visible, #detail :focus-visible, #signin :focus-visible { outline:3px solid var(--accent); outline-offset:2px; }
header :focus-visible, nav :focus-visible { outline:3px solid #f2b300; outline-offset:2px; }
button { min-height:32px; }
main a, .view a, #detail a { display:inline-block; min-height:24px; line-height:24px; }
.filters { display:grid; grid-template-columns:repeat(auto-fill, minmax(190px, 1fr)); gap:8px 12px; align-items:end; margin:0 0 10px; }
.filters .field { display:flex; flex-direction:column; gap:3px; min-width:0; }
.filters .field.buttons { flex-direction:row; gap:8px; }
.filters label, .actions label { font-size:12px; color:var(--muted); }
.filters input, .filters select, .actions input, .actions select { font:inherit; min-height:32px; padding:4px 6px; border:1px solid #6b7485; border-radius:6px; background:#fff; color:var(--ink); min-width:0; }
.filters input, .filters select { width:100%; }
.pager { display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin:8px 0; }
.export progress { width:160px; height:14px; vertical-align:middle; }
.sticky-first th:first-child, .sticky-first td:first-child, #deadline-items th:first-child, #deadline-items td:first-child {
  position:sticky; left:0; z-index:1; background:var(--card); box-shadow:1px 0 0 var(--line); }
td.wrap { white-space:normal; min-width:8.5em; }
tr.clickable { cursor:pointer; }
tr.clickable:hover td { background:#eef3fb; }
.workflow-link { font-size:12px; white-space:nowrap; }
#detail h2:focus { outline:none; }
#detail .scroll table { display:table; }
/* ---- end of the invoices view block ---- */
@media (max-width: 760px) {
  main { grid-template-columns: minmax(0, 1fr); padding:8px; gap:10px; }
  .view { padding:8px; }
  nav { padding:6px 8px 0; }
  header h1 { font-size:16px; }
}
</style>
</head>
<body>
<header>
  <h1>電子發票作業看板 <small>e-Invoice operations</small></h1>
  <span id="status" data-testid="status" hidden></span>
  <span id="who" data-testid="who"></span>
  <button id="signout" data-testid="signout" hidden>登出 Sign out</button>
</header>
<form id="signin" data-testid="signin" hidden>
  <h2>登入 Sign in</h2>
  <p class="muted">貼上您的員工 API 金鑰（只需一次）。Paste your staff API key once; the browser keeps only a session cookie.</p>
  <label for="apikey">API 金鑰 API key</label>
  <input id="apikey" name="apikey" type="password" autocomplete="off" spellcheck="false" required>
  <div class="error" id="signin-error" data-testid="signin-error"></div>
  <button class="primary" type="submit">登入 Sign in</button>
</form>
<nav id="nav" data-testid="nav" aria-label="頁面 Views" hidden></nav>
<main id="board" data-testid="view-overview" hidden>
  <section class="wide" data-testid="deadlines"><h2>期限看板 <span>Deadlines: nearest due first</span></h2>
    <div class="scroll" id="deadline-counts"></div><div class="scroll" id="deadline-items"></div></section>
  <section data-testid="due-chart"><h2>48 小時內到期上傳 <span>Uploads due per hour: this hour and the next 48</span></h2><div id="chart"></div></section>
  <section data-testid="alerts"><h2>警示 <span>Alerts, newest first</span></h2><div class="scroll" id="alerts"></div></section>
  <section data-testid="imports"><h2>匯入與對帳 <span>Imports and reconciliation runs</span></h2><div class="scroll" id="imports"></div></section>
  <section data-testid="stock"><h2>字軌用量 <span>Number usage this period</span></h2><div class="scroll" id="stock"></div></section>
</main>
<div id="views"></div>
<div id="detail" data-testid="detail" hidden><div id="detail-body"></div></div>
<script type="module" src="/web/dashboard.js"></script>
</body>
</html>
`;
