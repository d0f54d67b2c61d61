// The explorer's one page: inline CSS and JavaScript, no network beyond its own server's API.
// The position is the URL (`#/path/0/12/3`, as Stateright has it), so a position can be shared
// and a reload arrives at the same state; browser back and forward walk the history. The page
// shows the enabled actions grouped by thread (click one to take it), the state with changed
// variables marked, the path so far (click a step to go back to it), the background check's
// discoveries (click one to jump there) and the lane diagram of the current path.
import { html, PAGE_CSS } from '../render/html-page';

const CSS = `
main { max-width: none; }
.explorer { display: grid; grid-template-columns: minmax(340px, 460px) 1fr; gap: 18px; align-items: start; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin-bottom: 14px; }
.panel h2 { margin: 0 0 8px; font-size: 15px; border: 0; padding: 0; display: flex; gap: 10px; align-items: baseline; }
.panel h2 .muted { font-weight: normal; font-size: 12.5px; }
.actor { margin: 6px 0 10px; }
.actor h3 { margin: 0 0 4px; font-size: 13px; }
.actor.idle h3 { color: var(--muted); }
button.action { display: block; width: 100%; text-align: left; background: #f3f6fb; border: 1px solid #c9d1de; border-radius: 6px; padding: 5px 8px; margin: 3px 0; cursor: pointer; font: inherit; }
button.action:hover, button.action:focus { background: #e3ecfa; border-color: var(--blue); outline: none; }
button.action .fn { font-weight: 600; }
button.action .changes { display: block; color: var(--muted); font-size: 12px; }
button.action .ev { display: block; font-size: 12px; color: var(--blue); }
.toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 4px 0 10px; }
.toolbar button, .toolbar a.button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #c9d1de; background: #fff; cursor: pointer; color: var(--ink); text-decoration: none; }
.toolbar button:disabled { opacity: .5; cursor: default; }
#path-text { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; word-break: break-all; }
ol.steps { margin: 0; padding-left: 26px; font-size: 12.5px; max-height: 320px; overflow: auto; }
ol.steps li { cursor: pointer; padding: 1px 0; }
ol.steps li:hover { text-decoration: underline; }
ol.steps li.current { font-weight: 700; }
ul.discoveries { margin: 4px 0 0; padding-left: 18px; font-size: 12.5px; }
ul.discoveries li a { cursor: pointer; }
ul.discoveries li.invariant a, ul.discoveries li.deadlock a { color: var(--red); }
ul.discoveries li.witness a { color: var(--green); }
.status-line { font-size: 12.5px; color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; }
.badge.running { background: #e3ecfa; color: var(--blue); }
.badge.deadlock { background: #fde3e6; color: var(--red); }
.badge.terminal { background: #e3f3e6; color: var(--green); }
table.props { border-collapse: collapse; font-size: 12.5px; margin-top: 6px; }
table.props td { padding: 1px 8px 1px 0; }
td.holds { color: var(--green); }
td.fails { color: var(--red); font-weight: 700; }
.vars .var { cursor: default; }
#error { display: none; }
ul.notes { margin: 2px 0 6px; padding-left: 18px; color: var(--muted); font-size: 12.5px; }
ul.notes li.acquire { color: var(--blue); }
ul.notes li.wait { color: var(--orange); }
ul.notes li.error { color: var(--red); font-weight: 700; }
#lanes svg { display: block; }
`;

const SCRIPT = String.raw`
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var current = null;
  var loading = 0;
  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pathFromHash() {
    var m = /^#\/path\/(\d+(?:\/\d+)*)\/?$/.exec(location.hash);
    return m ? m[1] : null;
  }
  function go(path) {
    var want = '#/path/' + path;
    if (location.hash === want) load();
    else location.hash = want;
  }
  function split(name) {
    var at = name.indexOf(': ');
    if (at < 0) return { fn: '', step: name, chain: '' };
    var chain = name.slice(0, at).split(' > ');
    return { fn: chain[chain.length - 1], step: name.slice(at + 2), chain: name.slice(0, at) };
  }
  function showError(msg) {
    var e = $('error');
    e.textContent = msg;
    e.style.display = msg ? 'block' : 'none';
  }
  function renderActions(v) {
    var box = $('actions');
    box.textContent = '';
    var any = false;
    v.actors.forEach(function (a) {
      var sec = make('section', 'actor' + (a.enabled.length ? '' : ' idle'));
      sec.setAttribute('data-actor', a.actor === null ? '' : a.actor);
      sec.appendChild(make('h3', '', (a.actor === null ? '(no actor)' : a.actor) + (a.enabled.length ? '' : ': nothing enabled')));
      a.enabled.forEach(function (s) {
        any = true;
        var b = make('button', 'action');
        b.type = 'button';
        b.setAttribute('data-path', s.path);
        b.setAttribute('data-action', String(s.action));
        b.title = s.name;
        var parts = split(s.name);
        if (parts.fn) b.appendChild(make('span', 'fn', parts.fn + ': '));
        b.appendChild(make('span', 'step', parts.step));
        s.notes.forEach(function (n) { b.appendChild(make('span', 'ev', n.kind + ': ' + n.text)); });
        b.appendChild(make('span', 'changes', s.changed.length ? 'changes ' + s.changed.join(', ') : 'changes nothing'));
        b.addEventListener('click', function () { go(s.path); });
        sec.appendChild(b);
      });
      box.appendChild(sec);
    });
    if (!any) box.appendChild(make('p', 'muted', v.status === 'terminal' ? 'Every thread has finished.' : 'No action is enabled: the state is stuck.'));
  }
  function renderState(v) {
    $('state-index').textContent = 'State ' + v.depth;
    $('state-label').textContent = v.label ? (v.label.actor ? v.label.actor + ': ' : '') + v.label.name : 'initial state';
    var badge = $('state-status');
    badge.className = 'badge ' + v.status;
    badge.textContent = v.status === 'running' ? 'actions enabled' : v.status === 'terminal' ? 'finished' : 'deadlock';
    var diag = $('diagnosis');
    diag.textContent = '';
    diag.style.display = 'none';
    var failing = v.properties.filter(function (p) { return p.kind === 'always' && !p.holds; });
    if (v.diagnosis || failing.length) {
      diag.style.display = 'block';
      if (v.diagnosis) {
        diag.appendChild(make('strong', '', v.diagnosis.kind + ': ' + v.diagnosis.summary));
        v.diagnosis.details.forEach(function (d) { diag.appendChild(make('div', '', d)); });
      }
      failing.forEach(function (p) { diag.appendChild(make('strong', '', 'violated: ' + p.name)); });
    }
    var notes = $('notes');
    notes.textContent = '';
    v.notes.forEach(function (n) { notes.appendChild(make('li', n.kind, n.kind + ': ' + n.text)); });
    var vars = $('vars');
    vars.textContent = '';
    v.vars.forEach(function (x) {
      var d = make('div', 'var' + (x.changed ? ' changed' : ''));
      d.setAttribute('data-var', x.name);
      d.appendChild(make('span', 'mark', x.changed ? '*' : ''));
      if (x.fields) {
        d.appendChild(document.createTextNode('/\\ ' + x.name + ' = ['));
        x.fields.forEach(function (f, i) {
          if (i > 0) d.appendChild(document.createTextNode(', '));
          d.appendChild(f.changed ? make('mark', '', f.text) : document.createTextNode(f.text));
        });
        d.appendChild(document.createTextNode(']'));
      } else {
        d.appendChild(document.createTextNode('/\\ ' + x.name + ' = ' + x.text));
      }
      if (x.changed && v.before[x.name] !== undefined) d.title = 'was ' + v.before[x.name];
      vars.appendChild(d);
    });
    var props = $('props');
    props.textContent = '';
    v.properties.forEach(function (p) {
      var tr = make('tr');
      var ok = p.kind === 'always' ? p.holds : p.holds;
      tr.appendChild(make('td', p.kind === 'always' ? (ok ? 'holds' : 'fails') : (ok ? 'holds' : ''), p.kind === 'always' ? (ok ? 'holds' : 'VIOLATED') : (ok ? 'witnessed' : 'not here')));
      tr.appendChild(make('td', '', p.name));
      props.appendChild(tr);
    });
  }
  function renderPath(v) {
    $('path-text').textContent = v.path;
    var link = $('share');
    link.href = location.href;
    link.textContent = location.href;
    $('back').disabled = v.depth === 0;
    var ol = $('steps');
    ol.textContent = '';
    var root = make('li', v.depth === 0 ? 'current' : '', 'initial state');
    root.setAttribute('data-path', v.path.split('/')[0]);
    ol.appendChild(root);
    v.steps.forEach(function (s) {
      var parts = split(s.name);
      var li = make('li', s.index === v.depth ? 'current' : '', (s.actor ? s.actor + ': ' : '') + (parts.fn ? parts.fn + ': ' : '') + parts.step);
      li.title = s.name;
      li.setAttribute('data-path', s.path);
      ol.appendChild(li);
    });
    Array.prototype.forEach.call(ol.children, function (li) {
      li.addEventListener('click', function () { go(li.getAttribute('data-path')); });
    });
    var cur = ol.querySelector('li.current');
    if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: 'nearest' });
  }
  function loadLanes(path) {
    fetch('/.svg/' + path).then(function (r) { return r.ok ? r.text() : ''; }).then(function (t) {
      if (pathFromHash() === path || (!pathFromHash() && path === '0')) $('lanes').innerHTML = t.replace(/^<\?xml[^>]*\?>\s*/, '');
    });
  }
  function load() {
    var path = pathFromHash() || '0';
    var ticket = ++loading;
    document.body.setAttribute('data-loading', 'true');
    fetch('/.states/' + path).then(function (r) {
      return r.json().then(function (v) { return { ok: r.ok, v: v }; });
    }).then(function (x) {
      if (ticket !== loading) return;
      document.body.removeAttribute('data-loading');
      if (!x.ok) { showError(x.v.error || 'cannot show that path'); return; }
      showError('');
      current = x.v;
      document.title = 'daxmc explore ' + x.v.spec + ' ' + x.v.config + ' @ ' + x.v.path;
      renderPath(x.v);
      renderActions(x.v);
      renderState(x.v);
      document.body.setAttribute('data-path', x.v.path);
      loadLanes(x.v.path);
    }).catch(function (e) { showError(String(e)); });
  }
  function renderStatus(s) {
    var c = s.check;
    var line = c.state === 'off' ? 'The full check has not run.' :
      c.state === 'running' ? 'Checking: ' + c.distinct.toLocaleString('en-US') + ' distinct states, depth ' + c.depth + '...' :
      c.state === 'error' ? 'The check failed: ' + c.error :
      'Check ' + (c.verdict === 'pass' ? 'passed' : c.verdict === 'fail' ? 'found violations' : c.verdict) + ' over ' + c.distinct.toLocaleString('en-US') + ' distinct states' + (c.limit ? ' (' + c.limit + ')' : '') + '.';
    $('check-status').textContent = line;
    $('run-check').style.display = c.state === 'off' ? 'inline-block' : 'none';
    var ul = $('discoveries');
    ul.textContent = '';
    c.discoveries.forEach(function (d) {
      var li = make('li', d.kind);
      var a = make('a', '', (d.kind === 'witness' ? 'witness: ' : d.kind === 'deadlock' ? '' : 'violated: ') + d.property + ' (' + d.length + ' steps)');
      a.href = '#/path/' + d.path;
      a.setAttribute('data-path', d.path);
      li.appendChild(a);
      ul.appendChild(li);
    });
    c.lockOrder.forEach(function (f) { ul.appendChild(make('li', 'lock-order', f)); });
    if (c.state === 'running') setTimeout(pollStatus, 1000);
  }
  function pollStatus() {
    fetch('/.status').then(function (r) { return r.json(); }).then(renderStatus).catch(function () {});
  }
  $('back').addEventListener('click', function () {
    if (!current || current.depth === 0) return;
    go(current.path.split('/').slice(0, -1).join('/'));
  });
  $('restart').addEventListener('click', function () { go(current ? current.path.split('/')[0] : '0'); });
  $('copy').addEventListener('click', function () {
    if (navigator.clipboard) navigator.clipboard.writeText(location.href).catch(function () {});
  });
  $('run-check').addEventListener('click', function () {
    fetch('/.check', { method: 'POST' }).then(function (r) { return r.json(); }).then(renderStatus);
  });
  document.addEventListener('keydown', function (e) {
    if (e.target && (e.target.tagName === 'INPUT' || e.target.tagName === 'TEXTAREA')) return;
    if (e.key === 'Backspace' || e.key === 'b') { e.preventDefault(); $('back').click(); }
    var n = Number(e.key);
    if (n >= 1 && n <= 9) {
      var buttons = document.querySelectorAll('button.action');
      if (buttons[n - 1]) buttons[n - 1].click();
    }
  });
  window.addEventListener('hashchange', load);
  if (!pathFromHash()) history.replaceState(null, '', '#/path/0');
  load();
  pollStatus();
})();
`;

export function explorerPage(info: { readonly spec: string; readonly config: string; readonly title: string }): string {
  const body = `<h1>${html(info.spec)} <span class="muted">configuration ${html(info.config)}</span></h1>
<p class="muted">${html(info.title)}. Take an enabled action to step; the URL names the position, so you can share it or reload it. Keys: 1-9 take the n-th action, b goes back.</p>
<div id="error" class="card problem"></div>
<div class="explorer">
<div>
<section class="panel">
<h2>Enabled actions <span class="muted">grouped by thread</span></h2>
<div id="actions"></div>
</section>
<section class="panel">
<h2>Path</h2>
<div class="toolbar"><button type="button" id="back">&larr; back</button><button type="button" id="restart">initial state</button><button type="button" id="copy">copy link</button></div>
<div>path <span id="path-text"></span></div>
<div class="muted" style="font-size:12px;word-break:break-all">share: <a id="share" href="#"></a></div>
<ol class="steps" id="steps" start="0"></ol>
</section>
<section class="panel">
<h2>Discoveries <span class="muted">of the full check</span></h2>
<div class="status-line"><span id="check-status">...</span> <button type="button" id="run-check" style="display:none">run the check</button></div>
<ul class="discoveries" id="discoveries"></ul>
</section>
</div>
<div>
<section class="panel">
<h2><span id="state-index">State</span> <span class="muted" id="state-label"></span> <span class="badge" id="state-status"></span></h2>
<div id="diagnosis" class="card problem" style="display:none"></div>
<ul class="notes" id="notes"></ul>
<div class="vars" id="vars"></div>
<table class="props"><tbody id="props"></tbody></table>
</section>
<section class="panel">
<h2>Lane diagram <span class="muted">of this path</span></h2>
<div class="figure" id="lanes"></div>
</section>
</div>
</div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>daxmc explore ${html(info.spec)} ${html(info.config)}</title>
<style>${PAGE_CSS}${CSS}</style>
</head>
<body>
<header class="top"><span class="brand">daxmc explore</span> <span>${html(info.spec)}, configuration ${html(info.config)}</span></header>
<main>
${body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
