"""The page's inline CSS (screen and print) and its one inline script.

The script only toggles classes and opens ``<details>`` before printing (and closes what it
opened afterwards): no data is ever handed to JavaScript. The Content-Security-Policy pins
it by hash. ``report.pdf`` is rendered from a variant of the page with every ``<details>``
already open, so the PDF shows all evidence and stacks even where a browser fires no
``beforeprint`` event.
"""

from __future__ import annotations

SCRIPT = (
    "(function(){var d=document;d.documentElement.setAttribute('data-js','ok');"
    "var b=d.getElementById('only-problems');"
    "if(b){b.addEventListener('change',function(e){"
    "d.body.classList.toggle('only-problems',e.target.checked);});}"
    "var opened=[];"
    "window.addEventListener('beforeprint',function(){"
    "d.querySelectorAll('details:not([open])').forEach(function(x){x.open=true;opened.push(x);});});"
    "window.addEventListener('afterprint',function(){"
    "opened.forEach(function(x){x.open=false;});opened=[];});})();"
)

#: Latin first, then the CJK faces of each platform (Chinese reports and Chinese app texts
#: in English reports alike).
FONTS = (
    'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC",'
    '"Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
    '"WenQuanYi Micro Hei",sans-serif'
)
MONO = 'ui-monospace,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace'

CSS = f"""
body{{font:14px/1.45 {FONTS};margin:0 auto;max-width:1100px;padding:0 16px 48px;
 color:#1b1b1b}}
h1{{font-size:22px;margin:18px 0 6px}}h2{{font-size:18px;margin:28px 0 8px;
 border-bottom:1px solid #ddd;padding-bottom:4px}}h3{{font-size:15px;margin:18px 0 6px}}
table{{border-collapse:collapse;margin:6px 0;font-size:13px}}
th,td{{border:1px solid #d8d8d8;padding:3px 7px;text-align:left;vertical-align:top}}
th{{background:#f3f3f3}}td.n{{text-align:right;font-variant-numeric:tabular-nums}}
td.zero{{color:#aaa}}
code,pre,.mono{{font-family:{MONO};font-size:12px}}
pre{{background:#f7f7f7;padding:6px;overflow-x:auto;margin:4px 0;white-space:pre-wrap;
 word-break:break-all}}
dl.meta{{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:6px 0}}
dl.meta dt{{color:#555}}dl.meta dd{{margin:0;word-break:break-all}}
.v{{display:inline-block;padding:0 6px;border-radius:3px;font-weight:600;font-size:12px}}
.v-pass{{background:#d9f2d9;color:#125112}}.v-fail{{background:#f8d0d0;color:#8a0000}}
.v-error{{background:#4a0000;color:#fff}}.v-inconclusive{{background:#fbe9b7;color:#6b4b00}}
.v-not_applicable{{background:#eee;color:#555}}
.mismatch{{outline:2px solid #c00;outline-offset:-2px}}
.flag{{color:#c00;font-weight:600}}.warn{{color:#8a5a00;font-weight:600}}
.note{{color:#555;font-size:12px}}
blockquote{{margin:4px 0 8px;padding:2px 10px;border-left:3px solid #bbb;color:#333}}
blockquote p{{margin:2px 0}}
figure{{display:inline-block;margin:4px 12px 4px 0}}figure img{{max-width:240px;
 border:1px solid #ccc}}figcaption{{font-size:12px;color:#555}}
svg text{{font:11px {FONTS}}}
.legend span{{display:inline-block;margin-right:10px;font-size:12px}}
.legend i{{display:inline-block;width:10px;height:10px;margin-right:3px;vertical-align:-1px}}
details>summary{{cursor:pointer;color:#1f4e99}}
body.only-problems .ok{{display:none}}
@page{{size:A4;margin:12mm}}
@media print{{
 body{{max-width:none;padding:0;font-size:11px}}
 #filters{{display:none}}
 body.only-problems .ok{{display:revert}}
 a{{color:inherit;text-decoration:none}}
 details>summary{{color:#1b1b1b;list-style:none}}
 details>summary::-webkit-details-marker{{display:none}}
 section.scenario{{break-before:page}}
 tr,figure,svg,blockquote{{break-inside:avoid}}
 pre{{white-space:pre-wrap;background:none;border-left:2px solid #ccc}}
 svg{{max-width:100%;height:auto}}
 .v{{border:1px solid #888}}
}}
"""
#: A separate rule: browsers that do not know ``::details-content`` drop only this one.
CSS_PRINT_DETAILS = (
    "@media print{details::details-content{content-visibility:visible;display:contents}}"
)
