/**
 * The web application's only stylesheet and script, kept as code so the compiled build carries
 * them: no CDN, no font or script from outside (the system's own CJK and Vietnamese fonts render).
 * The bundled Noto Sans SC covers only the CJK ranges (unicode-range) and comes before system-ui:
 * named last, behind a system-ui without CJK, Chromium drew bold CJK text (the header's brand,
 * headings) as tofu boxes on a machine with no CJK font; Latin and Vietnamese stay in system-ui.
 */
export const APP_CSS = `
@font-face{font-family:"Ledger Noto Sans SC";src:url(/assets/fonts/noto-sans-sc-400.ttf) format("truetype");font-weight:400;font-display:swap;unicode-range:U+2E80-2FDF,U+3000-303F,U+3100-312F,U+31C0-31EF,U+3200-9FFF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF,U+20000-2FA1F}
@font-face{font-family:"Ledger Noto Sans SC";src:url(/assets/fonts/noto-sans-sc-700.ttf) format("truetype");font-weight:700;font-display:swap;unicode-range:U+2E80-2FDF,U+3000-303F,U+3100-312F,U+31C0-31EF,U+3200-9FFF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF,U+20000-2FA1F}
:root{--ink:#1b1f23;--muted:#5a6470;--line:#d0d7de;--bg:#f6f8fa;--accent:#0b5cad;--ok:#1a7f37;--soon:#9a6700;--behind:#bc4c00;--late:#cf222e;--blocked:#6e40c9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 "Noto Sans SC","Noto Sans CJK SC","Microsoft YaHei","PingFang SC","Ledger Noto Sans SC",system-ui,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
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
.subnav ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:0 0 10px;padding:0}.subnav a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--ink)}
form.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end;margin:0 0 12px}form.filters select{max-width:260px}
form.inline{display:flex;flex-wrap:wrap;gap:6px;align-items:center}form.inline input{width:10em}
ul.legend{display:flex;flex-wrap:wrap;gap:6px 14px;list-style:none;padding:0;margin:8px 0}ul.legend a{text-decoration:none;color:inherit}
.status.progress{background:var(--accent)}.status.done-late{background:#57751d}
table.board th.task{font-size:.8em;padding:2px 3px;text-align:center;min-width:2.2em}
table.board tbody th{font-weight:400;white-space:nowrap;position:sticky;left:0;background:#fff;z-index:1}
table.board td{padding:0;text-align:center;font-weight:700;color:#fff;line-height:1.9}
table.board td.ok{background:var(--ok)}table.board td.soon{background:var(--soon)}table.board td.behind{background:var(--behind)}table.board td.late{background:var(--late)}table.board td.blocked{background:var(--blocked)}table.board td.idle{background:#8c959f}table.board td.progress{background:var(--accent)}table.board td.done-late{background:#57751d}table.board td.none{background:#fafbfc}
.pager{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
code.digest,code.secret{word-break:break-all}code.secret{display:inline-block;font-size:1.15em;padding:4px 8px;background:#fff;border:1px dashed var(--ink)}
ul.facts{margin:0;padding-left:1.1em}tr.superseded td{color:var(--muted)}tr.current td{font-weight:600;background:#fff8c5}
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
  // A download form: fetch the file, save it, and end the "working…" state; a refusal (an HTML page) is shown as a page.
  document.querySelectorAll('form[data-download]').forEach(function(form){form.addEventListener('submit',function(e){
    if(!window.fetch||!window.URL||!URL.createObjectURL){return}
    e.preventDefault();
    var status=form.querySelector('[role=status]'),target=form.action+'?'+new URLSearchParams(new FormData(form)).toString();
    var done=function(){if(status){status.hidden=true}form.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=false})};
    fetch(target,{credentials:'same-origin'}).then(function(r){
      if(!r.ok||(r.headers.get('Content-Type')||'').indexOf('text/html')===0){window.location.href=target;return}
      var name=(/filename="([^"]+)"/.exec(r.headers.get('Content-Disposition')||'')||[])[1]||'download';
      return r.blob().then(function(blob){var a=document.createElement('a');a.href=URL.createObjectURL(blob);a.download=name;document.body.appendChild(a);a.click();a.remove();setTimeout(function(){URL.revokeObjectURL(a.href)},5000);done()});
    }).catch(function(){window.location.href=target});
  })});
  document.querySelectorAll('[data-confirm]').forEach(function(el){el.addEventListener('click',function(e){if(!window.confirm(el.getAttribute('data-confirm'))){e.preventDefault()}})});
})();
`;
