// The explorer's one page: inline CSS and JavaScript, no network beyond its own server's API.
// The position is the URL (`#/path/0/12/3`, as Stateright has it), so a position can be shared
// and a reload arrives at the same state; browser back and forward walk the history. The page
// shows the enabled actions grouped by thread (click one to take it), the state as a panel per
// thread (function and step, locks held, locals) and the shared state in the spec's words, the
// changed facts marked, ghost variables behind a switch and the raw variables folded away; a
// violated property explained, with links to the step that caused it; the path so far (click a
// step to go back to it), the background check's discoveries (click one to jump there) and the
// lane diagram of the current path. One column below 1,000 px, so every panel fits at 800 px;
// a path that does not replay gets a message saying why, with links back.
import { html, PAGE_CSS } from '../render/html-page';

const CSS = `
main { max-width: none; }
.explorer { display: grid; grid-template-columns: minmax(320px, 440px) minmax(0, 1fr); gap: 18px; align-items: start; }
.explorer > div { min-width: 0; }
@media (max-width: 1000px) {
  .explorer { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .explorer > div { display: contents; }
  #actions-panel { order: 1; } #state-panel { order: 2; } #path-panel { order: 3; } #lanes-panel { order: 4; } #discoveries-panel { order: 5; }
  main { padding: 12px 12px 40px; }
}
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin-bottom: 14px; min-width: 0; }
.panel h2 { margin: 0 0 8px; font-size: 15px; border: 0; padding: 0; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.panel h2 .muted { font-weight: normal; font-size: 12.5px; }
.actor { margin: 6px 0 10px; }
.actor h3 { margin: 0 0 4px; font-size: 13px; }
.actor.idle h3 { color: var(--muted); }
button.action { display: block; width: 100%; text-align: left; background: #f3f6fb; border: 1px solid #c9d1de; border-radius: 6px; padding: 5px 8px; margin: 3px 0; cursor: pointer; font: inherit; overflow-wrap: anywhere; }
button.action:hover, button.action:focus { background: #e3ecfa; border-color: var(--blue); outline: none; }
button.action .fn { font-weight: 600; }
button.action .changes { display: block; color: var(--muted); font-size: 12px; }
button.action .ev { display: block; font-size: 12px; color: var(--blue); }
.toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 4px 0 10px; }
.toolbar button, .toolbar a.button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #c9d1de; background: #fff; cursor: pointer; color: var(--ink); text-decoration: none; }
.toolbar button:disabled { opacity: .5; cursor: default; }
#path-text { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; word-break: break-all; }
ol.steps { margin: 0; padding-left: 26px; font-size: 12.5px; max-height: 320px; overflow: auto; }
ol.steps li { cursor: pointer; padding: 1px 0; overflow-wrap: anywhere; }
ol.steps li:hover { text-decoration: underline; }
ol.steps li.current { font-weight: 700; }
ol.steps li.cause { color: var(--red); }
ul.discoveries { margin: 4px 0 0; padding-left: 18px; font-size: 12.5px; overflow-wrap: anywhere; }
ul.discoveries li a { cursor: pointer; }
ul.discoveries li.invariant a, ul.discoveries li.deadlock a { color: var(--red); }
ul.discoveries li.witness a { color: var(--green); }
.status-line { font-size: 12.5px; color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; }
.badge.running { background: #e3ecfa; color: var(--blue); }
.badge.deadlock { background: #fde3e6; color: var(--red); }
.badge.terminal { background: #e3f3e6; color: var(--green); }
table.props { border-collapse: collapse; font-size: 12.5px; margin-top: 6px; }
table.props td { padding: 1px 8px 1px 0; vertical-align: top; }
td.holds { color: var(--green); }
td.fails { color: var(--red); font-weight: 700; }
.vars .var { cursor: default; }
#error { display: none; }
#error a { margin-right: 12px; }
ul.notes { margin: 2px 0 6px; padding-left: 18px; color: var(--muted); font-size: 12.5px; }
ul.notes li.acquire { color: var(--blue); }
ul.notes li.wait { color: var(--orange); }
ul.notes li.error { color: var(--red); font-weight: 700; }
#diagnosis .why { margin: 2px 0 2px 12px; }
#diagnosis a { color: var(--red); font-weight: 600; }
.threads { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; margin: 6px 0 10px; }
.thread { border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; background: #f9fafc; min-width: 0; }
.thread h3 { margin: 0; font-size: 14px; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.thread h3 .about { font-weight: normal; color: var(--muted); font-size: 12px; }
.fact { display: grid; grid-template-columns: 5.5em minmax(0, 1fr); gap: 6px; font-size: 12.5px; padding: 1px 3px; border-left: 3px solid transparent; }
.fact .name { color: var(--muted); }
.fact .text { overflow-wrap: anywhere; }
.fact.changed { background: #fff7db; border-left-color: #e0a800; }
.fact.gone .text { color: var(--muted); font-style: italic; }
.fact.ghost { display: none; color: var(--muted); font-style: italic; }
body.ghosts .fact.ghost { display: grid; }
.fact.where .text { font-weight: 600; }
.shared { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px; }
.group { border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; min-width: 0; }
.group h4 { margin: 0 0 2px; font-size: 13px; }
.group.only-ghosts { display: none; }
body.ghosts .group.only-ghosts { display: block; }
.group .fact { grid-template-columns: 8.5em minmax(0, 1fr); }
label.switch { font-size: 12.5px; user-select: none; margin-right: 14px; }
details.raw { margin-top: 8px; font-size: 12.5px; }
details.raw .vars { margin-top: 4px; }
#lanes { overflow: auto; max-width: 100%; }
#lanes svg { display: block; }
#lanes.fit svg { width: 100%; height: auto; }
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
  function showError(msg, good) {
    var e = $('error');
    e.textContent = '';
    e.style.display = msg ? 'block' : 'none';
    if (!msg) return;
    e.appendChild(make('strong', '', 'This position does not exist. '));
    e.appendChild(make('span', '', msg));
    var links = make('div', '');
    var home = make('a', '', 'go to the initial state');
    home.href = '#/path/0';
    links.appendChild(home);
    if (good) {
      var last = make('a', '', 'go back to the last position shown (' + good + ')');
      last.href = '#/path/' + good;
      links.appendChild(last);
    }
    e.appendChild(links);
  }
  function blank(reason) {
    // No state to show: say so in every panel rather than leaving them empty or stale.
    ['actions', 'threads', 'shared', 'vars', 'steps', 'notes', 'props', 'lanes'].forEach(function (id) { $(id).textContent = ''; });
    $('actions').appendChild(make('p', 'muted', reason));
    $('threads').appendChild(make('p', 'muted', reason));
    $('lanes').appendChild(make('p', 'muted', reason));
    $('state-index').textContent = 'No state';
    $('state-label').textContent = '';
    $('state-status').className = 'badge';
    $('state-status').textContent = '';
    $('diagnosis').style.display = 'none';
    $('path-text').textContent = '';
    document.body.removeAttribute('data-path');
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
        var changes = s.changes || s.changed;
        b.appendChild(make('span', 'changes', changes.length ? 'changes ' + changes.join(', ') : 'changes nothing'));
        b.addEventListener('click', function () { go(s.path); });
        sec.appendChild(b);
      });
      box.appendChild(sec);
    });
    if (!any) box.appendChild(make('p', 'muted', v.status === 'terminal' ? 'Every thread has finished.' : 'No action is enabled: the state is stuck.'));
  }
  function fact(f, cls) {
    var d = make('div', 'fact' + (cls ? ' ' + cls : '') + (f.changed ? ' changed' : '') + (f.ghost ? ' ghost' : ''));
    d.setAttribute('data-key', f.key);
    d.appendChild(make('span', 'name', f.ghost ? f.name + ' (ghost)' : f.name));
    d.appendChild(make('span', 'text', f.text));
    var tip = f.before !== undefined ? 'was: ' + f.before : (f.detail || '');
    if (tip) d.title = tip;
    return d;
  }
  function shortName(f) {
    // The label without its group's name: 'T1 holds' in group T1 is 'holds'.
    return f.label.indexOf(f.group + ' ') === 0 ? f.label.slice(f.group.length + 1) : f.label;
  }
  function place(f) {
    // A thread's place: 'at' and 'failed at' become the name, the function and step the text.
    var m = /^(failed at|at) (.*)$/.exec(f.text);
    return m ? { name: m[1], text: m[2] } : { name: 'state', text: f.text };
  }
  function renderWords(v) {
    var threads = $('threads');
    var shared = $('shared');
    threads.textContent = '';
    shared.textContent = '';
    if (!v.words) { threads.style.display = 'none'; shared.style.display = 'none'; return; }
    threads.style.display = '';
    shared.style.display = '';
    var byGroup = {};
    v.words.fields.forEach(function (f) {
      var p = f.key === f.group && f.label === f.group ? place(f) : { name: shortName(f), text: f.text };
      (byGroup[f.group] = byGroup[f.group] || []).push({ key: f.key, name: p.name, text: p.text, changed: f.changed && v.depth > 0, before: f.before, ghost: f.ghost, detail: f.detail });
    });
    v.words.gone.forEach(function (f) { (byGroup[f.group] = byGroup[f.group] || []).push({ key: f.key, name: shortName(f), text: '(none)', changed: true, before: f.text, ghost: f.ghost, gone: true }); });
    v.words.groups.forEach(function (g) {
      var facts = byGroup[g.name] || [];
      if (g.thread) {
        var card = make('section', 'thread');
        card.setAttribute('data-thread', g.name);
        var h = make('h3', '', g.name);
        if (g.about) h.appendChild(make('span', 'about', g.about));
        card.appendChild(h);
        facts.forEach(function (f) { card.appendChild(fact(f, (f.key === g.name ? 'where' : '') + (f.gone ? ' gone' : ''))); });
        threads.appendChild(card);
      } else if (facts.length) {
        var box = make('section', 'group' + (facts.every(function (f) { return f.ghost; }) ? ' only-ghosts' : ''));
        box.setAttribute('data-group', g.name);
        box.appendChild(make('h4', '', g.name + (g.about ? ' (' + g.about + ')' : '')));
        facts.forEach(function (f) { box.appendChild(fact(f, f.gone ? 'gone' : '')); });
        shared.appendChild(box);
      }
    });
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
        v.diagnosis.details.forEach(function (d) { diag.appendChild(make('div', 'why', d)); });
      }
      failing.forEach(function (p) {
        diag.appendChild(make('div', '', '')).appendChild(make('strong', '', 'violated: ' + p.name));
        var ex = v.explanations.filter(function (e) { return e.property === p.name; })[0];
        if (!ex) return;
        ex.lines.forEach(function (l) { diag.appendChild(make('div', 'why', l)); });
        var links = make('div', 'why');
        if (ex.cause) {
          var a = make('a', 'cause-link', 'go to step ' + ex.cause.step + ', the cause');
          a.href = '#/path/' + ex.cause.path;
          links.appendChild(a);
        }
        ex.related.forEach(function (r) {
          links.appendChild(document.createTextNode(' \u00b7 '));
          var b = make('a', '', 'step ' + r.step + ' (' + r.role + ')');
          b.href = '#/path/' + r.path;
          links.appendChild(b);
        });
        if (links.childNodes.length) diag.appendChild(links);
      });
    }
    var notes = $('notes');
    notes.textContent = '';
    v.notes.forEach(function (n) { notes.appendChild(make('li', n.kind, n.kind + ': ' + n.text)); });
    renderWords(v);
    var raw = $('raw');
    raw.open = !v.words;
    $('raw-summary').textContent = v.words ? 'raw variables (the encoded state)' : 'variables';
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
      var ok = p.holds;
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
    var causes = {};
    v.explanations.forEach(function (e) { if (e.cause) causes[e.cause.step] = true; });
    v.steps.forEach(function (s) {
      var parts = split(s.name);
      var li = make('li', (s.index === v.depth ? 'current' : '') + (causes[s.index] ? ' cause' : ''), (s.actor ? s.actor + ': ' : '') + (parts.fn ? parts.fn + ': ' : '') + parts.step + (causes[s.index] ? '  (cause)' : ''));
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
    var path = pathFromHash();
    if (path === null) {
      if (location.hash && location.hash !== '#' && location.hash !== '#/') {
        showError('The address ' + location.hash + ' is not a path: it should read #/path/ followed by the initial state and the actions, e.g. #/path/0/12/3.', current && current.path);
        blank('No state: the address names no position.');
        document.body.setAttribute('data-error', 'true');
        return;
      }
      path = '0';
    }
    var ticket = ++loading;
    document.body.setAttribute('data-loading', 'true');
    fetch('/.states/' + path).then(function (r) {
      return r.json().then(function (v) { return { ok: r.ok, v: v }; });
    }).then(function (x) {
      if (ticket !== loading) return;
      document.body.removeAttribute('data-loading');
      if (!x.ok) {
        showError('The path ' + path + ' does not replay: ' + (x.v.error || 'the server could not show it') + '.', current && current.path !== path ? current.path : null);
        blank('No state: the path in the address does not replay.');
        document.body.setAttribute('data-error', 'true');
        return;
      }
      document.body.removeAttribute('data-error');
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
  $('fit-lanes').addEventListener('change', function () {
    $('lanes').classList.toggle('fit', $('fit-lanes').checked);
  });
  $('show-ghosts').addEventListener('change', function () {
    document.body.classList.toggle('ghosts', $('show-ghosts').checked);
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
<section class="panel" id="actions-panel">
<h2>Enabled actions <span class="muted">grouped by thread</span></h2>
<div id="actions"></div>
</section>
<section class="panel" id="path-panel">
<h2>Path</h2>
<div class="toolbar"><button type="button" id="back">&larr; back</button><button type="button" id="restart">initial state</button><button type="button" id="copy">copy link</button></div>
<div>path <span id="path-text"></span></div>
<div class="muted" style="font-size:12px;word-break:break-all">share: <a id="share" href="#"></a></div>
<ol class="steps" id="steps" start="0"></ol>
</section>
<section class="panel" id="discoveries-panel">
<h2>Discoveries <span class="muted">of the full check</span></h2>
<div class="status-line"><span id="check-status">...</span> <button type="button" id="run-check" style="display:none">run the check</button></div>
<ul class="discoveries" id="discoveries"></ul>
</section>
</div>
<div>
<section class="panel" id="state-panel">
<h2><span id="state-index">State</span> <span class="muted" id="state-label"></span> <span class="badge" id="state-status"></span></h2>
<div id="diagnosis" class="card problem" style="display:none"></div>
<ul class="notes" id="notes"></ul>
<div class="threads" id="threads"></div>
<div class="shared" id="shared"></div>
<div><label class="switch"><input type="checkbox" id="show-ghosts"> show ghost variables (bookkeeping the properties read)</label></div>
<table class="props"><tbody id="props"></tbody></table>
<details class="raw" id="raw"><summary id="raw-summary">raw variables</summary><div class="vars" id="vars"></div></details>
</section>
<section class="panel" id="lanes-panel">
<h2>Lane diagram <span class="muted">of this path</span> <label class="switch"><input type="checkbox" id="fit-lanes" checked> fit to the panel (unchecked: actual size, scrolls)</label></h2>
<div class="figure fit" id="lanes"></div>
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
