/**
 * The web application's only stylesheet and script, kept as code so the compiled build carries
 * them: no CDN, no font or script from outside (the system's own CJK and Vietnamese fonts render).
 */
export const APP_CSS = `
@font-face{font-family:"Ledger Noto Sans SC";src:url(/assets/fonts/noto-sans-sc.ttf) format("truetype");font-weight:100 900;font-display:swap}
:root{--ink:#1b1f23;--muted:#5a6470;--line:#d0d7de;--bg:#f6f8fa;--accent:#0b5cad;--ok:#1a7f37;--soon:#9a6700;--behind:#bc4c00;--late:#cf222e;--blocked:#6e40c9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,"Noto Sans SC","Noto Sans CJK SC","Microsoft YaHei","PingFang SC","Segoe UI",Roboto,"Ledger Noto Sans SC",sans-serif;color:var(--ink);background:#fff}
a{color:var(--accent)}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f5b000;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
header.top{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:8px 16px;background:#0b2e59;color:#fff}
header.top a{color:#fff;text-decoration:none}header.top a[aria-current=page]{text-decoration:underline}
header.top .brand{font-weight:700;margin-right:8px}
header.top nav ul{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:0;padding:0}
header.top .who{margin-left:auto;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
header.top form{display:inline}
header.top button{background:transparent;color:#fff;border:1px solid #8fb3dd;border-radius:4px;padding:2px 8px;cursor:pointer}
main{padding:16px;max-width:1400px;margin:0 auto}
h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.15em;margin:1.2em 0 .5em}
.asof{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0 0 12px;padding:8px;background:var(--bg);border:1px solid var(--line);border-radius:6px}
.asof.past{background:#fff8c5;border-color:#d4a72c}
form.stack{display:grid;gap:10px;max-width:520px}
label{font-weight:600}
.field{display:grid;gap:4px}
input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #8c959f;border-radius:4px;min-width:0}
button,.button{font:inherit;padding:6px 14px;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
.error{color:var(--late);font-weight:600}
.field-error{color:var(--late);font-size:.92em}
[aria-invalid=true]{border-color:var(--late);outline:1px solid var(--late)}
.notice{padding:8px 12px;border-radius:6px;border:1px solid var(--line);background:var(--bg);margin:8px 0}
.notice.ok{border-color:#4ac26b;background:#dafbe1}.notice.bad{border-color:#ff8182;background:#ffebe9}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto;max-width:100%}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.88em;color:#fff;white-space:nowrap}
.status.ok{background:var(--ok)}.status.soon{background:var(--soon)}.status.behind{background:var(--behind)}.status.late{background:var(--late)}.status.blocked{background:var(--blocked)}.status.idle{background:#6e7781}
.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:12px}
progress{width:100%}
.tabs ul{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;margin:0 0 12px;padding:0 0 6px;border-bottom:1px solid var(--line)}.tabs a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--ink)}
.nowrap{white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin:0 0 12px}.filters .field{min-width:160px}
table.figures td{min-width:7em}table.figures input{width:100%;text-align:right;font-variant-numeric:tabular-nums}table.figures input[readonly]{background:var(--bg);border-color:var(--line)}
table.figures td.refused{background:#ffebe9}table.figures td .field-error{display:block}
@media (max-width:640px){main{padding:10px}header.top .who{margin-left:0}th,td{padding:3px 5px}body{font-size:14px}}
`;

/** Progressive enhancement only: every page works without it. Live totals, busy forms, confirmations. */
export const APP_JS = `
(function(){
  function sum(table){
    table.querySelectorAll('[data-total-of]').forEach(function(cell){
      var names=cell.getAttribute('data-total-of').split(' '),total=0,any=false;
      names.forEach(function(name){var input=table.querySelector('[name="'+name+'"]');if(input&&input.value.trim()!==''){var v=Number(input.value.replace(/[,\\s]/g,''));if(isFinite(v)){total+=v;any=true}}});
      cell.textContent=any?String(Math.round(total*1e6)/1e6):'';
    });
  }
  document.querySelectorAll('table[data-live-totals]').forEach(function(table){table.addEventListener('input',function(){sum(table)});sum(table)});
  document.querySelectorAll('form[data-busy]').forEach(function(form){form.addEventListener('submit',function(){
    var status=form.querySelector('[role=status]');if(status){status.hidden=false}
    form.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=true});
  })});
  document.querySelectorAll('[data-confirm]').forEach(function(el){el.addEventListener('click',function(e){if(!window.confirm(el.getAttribute('data-confirm'))){e.preventDefault()}})});
})();
`;
