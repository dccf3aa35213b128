/*
 * dashboard.js — the study page of `hpo dashboard`: the same views as a
 * report (report.js draws them), with the document fetched from the
 * server and fetched again every POLL_MS while "live" is ticked.  The
 * server answers 304 while nothing changed, so an idle study costs one
 * small request per poll; a study that takes long to draw is polled less
 * often (five times its drawing time), so redrawing never takes over.
 */
(function () {
  'use strict';
  var POLL_MS = 2000;
  var drawMs = 0; /* the last redraw's cost: a big study polls less often */
  var name = new URLSearchParams(location.search).get('name') || '';
  var root = document.getElementById('hpo-report');
  var etag = null, timer = null, live = true, renders = 0;

  function bar() {
    var b = document.createElement('div');
    b.id = 'hpo-live';
    b.style.cssText = 'position:sticky;top:0;z-index:10;background:#f6f8fa;' +
      'border-bottom:1px solid #ddd;padding:6px 12px;font:13px system-ui,sans-serif;' +
      'display:flex;gap:16px;align-items:center';
    var back = document.createElement('a');
    back.href = './';
    back.textContent = '\u2190 all studies';
    var label = document.createElement('label');
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.id = 'hpo-live-toggle';
    box.addEventListener('change', function () {
      live = box.checked;
      if (timer) clearTimeout(timer);
      timer = null;
      if (live) poll();
      else say('paused');
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(' live'));
    var status = document.createElement('span');
    status.id = 'hpo-live-status';
    status.style.color = '#666';
    b.appendChild(back);
    b.appendChild(label);
    b.appendChild(status);
    document.body.insertBefore(b, document.body.firstChild);
  }

  function say(text) {
    document.getElementById('hpo-live-status').textContent = text;
  }

  function show(doc) {
    var y = window.scrollY, t0 = performance.now();
    window.hpoReport.render(doc, root);
    drawMs = performance.now() - t0;
    window.scrollTo(0, y);
    renders++;
    document.body.setAttribute('data-rendered', '1');
    document.body.setAttribute('data-renders', String(renders));
  }

  function answer(r) {
    if (r.status === 200) {
      etag = r.headers.get('ETag');
      return r.json().then(show);
    }
    if (r.status === 304) return null;
    return r.text().then(function (t) { throw new Error(r.status + ' ' + t.trim()); });
  }

  function poll() {
    timer = null;
    var headers = etag ? {'If-None-Match': etag} : {};
    fetch('api/study?name=' + encodeURIComponent(name), {headers: headers, cache: 'no-store'})
      .then(answer)
      .then(function () {
        say((live ? 'live, ' : '') + 'updated ' + new Date().toLocaleTimeString());
      }, function (e) {
        say('cannot read the study: ' + e.message);
      })
      .then(function () {
        if (live && !timer) timer = setTimeout(poll, Math.max(POLL_MS, 5 * drawMs));
      });
  }

  bar();
  say('loading\u2026');
  poll();
})();
