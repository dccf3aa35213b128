/*
 * report.js — hpo's renderer: draws a study's document (cli/report_data.h,
 * "hpo-report" version 1) as SVG plots and a trials table.  No library:
 * the page must work offline as one file, stay small (this file is the
 * whole renderer) and carry no licence but hpo's own.
 *
 * Entry points: hpoReport.render(doc, element) draws a document into an
 * element (the dashboard fetches the document and calls it); on load the
 * page renders the document of its <script id="hpo-data"> element, if any.
 * Big studies stay light: a plot draws at most MAX_POINTS points (every
 * best-so-far improvement, then an even sample) and says "showing N of M";
 * the table shows one page of rows at a time.
 */
(function () {
  'use strict';

  var SVGNS = 'http://www.w3.org/2000/svg';
  var MAX_POINTS = 2000, MAX_LINES = 400, PAGE_ROWS = 50;
  var W = 600, H = 320, M = {l: 66, r: 18, t: 14, b: 42};
  var STATES = ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'];
  var STATE_COLOR = {COMPLETE: '#0969da', PRUNED: '#bf8700', FAIL: '#cf222e',
                     RUNNING: '#1a7f37', WAITING: '#8250df'};
  var VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98],
                 [253, 231, 37]];

  /* ----------------------------------------------------------------- */
  /* Elements                                                          */
  /* ----------------------------------------------------------------- */

  function el(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function sv(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  /* ----------------------------------------------------------------- */
  /* Numbers                                                           */
  /* ----------------------------------------------------------------- */

  function finite(v) { return typeof v === 'number' && isFinite(v); }

  /* A value for a table cell or a tooltip: 6 significant digits. */
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'number') return String(v);
    if (!isFinite(v)) return isNaN(v) ? 'nan' : (v > 0 ? 'inf' : '-inf');
    if (v === Math.round(v) && Math.abs(v) < 1e15) return String(v);
    var a = Math.abs(v);
    if (a >= 1e6 || a < 1e-4) return v.toExponential(4).replace(/\.?0+e/, 'e');
    return String(parseFloat(v.toPrecision(6)));
  }

  /* A tick label: as many decimals as the tick step needs. */
  function tickLabel(v, step) {
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (a >= 1e6 || a < 1e-4 || step < 1e-4)
      return v.toExponential(2).replace(/\.?0+e/, 'e');
    var d = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
    return v.toFixed(d);
  }

  function niceTicks(lo, hi, n) {
    var span = hi - lo;
    if (!(span > 0)) return {ticks: [lo], step: 1};
    var raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p, step = (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
    var ticks = [];
    for (var v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
      ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return {ticks: ticks, step: step};
  }

  /* The finite numbers of vals, sorted (a typed array sorts numerically
   * without a comparator: several times faster on 100,000 values). */
  function sortedFinite(vals) {
    var a = new Float64Array(vals.length), m = 0;
    for (var i = 0; i < vals.length; i++) if (finite(vals[i])) a[m++] = vals[i];
    return a.subarray(0, m).sort();
  }

  function extent(vals) {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < vals.length; i++) {
      var v = vals[i];
      if (finite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    return lo <= hi ? [lo, hi] : null;
  }

  /* ----------------------------------------------------------------- */
  /* Axes: linear, log or categorical                                  */
  /* ----------------------------------------------------------------- */

  /* An axis over values (spec: {log, cats, lo, hi, nice}) onto [r0, r1]. */
  function makeAxis(spec, r0, r1) {
    var a = {log: !!spec.log, cats: spec.cats || null};
    if (a.cats) {
      a.lo = -0.5; a.hi = a.cats.length - 0.5;
    } else {
      var lo = spec.lo, hi = spec.hi;
      if (a.log) { lo = Math.log10(lo); hi = Math.log10(hi); }
      if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
      var padding = (hi - lo) * 0.04;
      a.lo = lo - padding; a.hi = hi + padding;
    }
    a.map = function (v) {
      var x = a.log ? Math.log10(v) : v;
      return r0 + (x - a.lo) / (a.hi - a.lo) * (r1 - r0);
    };
    a.ticks = function () {
      if (a.cats) {
        var every = Math.ceil(a.cats.length / 12), out = [];
        for (var i = 0; i < a.cats.length; i += every)
          out.push({v: i, label: String(a.cats[i]).slice(0, 14)});
        return out;
      }
      if (a.log) {
        var t = [], p0 = Math.ceil(a.lo), p1 = Math.floor(a.hi);
        var every = Math.max(1, Math.ceil((p1 - p0 + 1) / 8));
        for (var p = p0; p <= p1; p += every)
          t.push({v: Math.pow(10, p), label: p >= -3 && p <= 5 ? fmt(Math.pow(10, p)) : '1e' + p});
        if (t.length >= 2) return t;
        var n = niceTicks(Math.pow(10, a.lo), Math.pow(10, a.hi), 4);
        return n.ticks.filter(function (v) { return v > 0; })
          .map(function (v) { return {v: v, label: tickLabel(v, n.step)}; });
      }
      var nt = niceTicks(a.lo, a.hi, 6);
      return nt.ticks.map(function (v) { return {v: v, label: tickLabel(v, nt.step)}; });
    };
    return a;
  }

  /* The axis spec of a parameter over the trials' values of it. */
  function paramSpec(param, trials, k) {
    if (param.type === 'categorical') return {cats: param.choices};
    var e = extent(trials.map(function (t) { return t.p[k]; }));
    if (!e) e = [param.low, param.high];
    var log = param.log && e[0] > 0;
    return {lo: e[0], hi: e[1], log: log};
  }

  function valueSpec(vals, log) {
    var e = extent(vals) || [0, 1];
    return {lo: e[0], hi: e[1], log: log && e[0] > 0};
  }

  /* An SVG with a frame, grid lines and both axes; returns what plots
   * need: the svg, its scales and the plot area. */
  function frame(parent, id, xs, ys, xLabel, yLabel, size) {
    var w = (size && size.w) || W, h = (size && size.h) || H;
    var svg = sv('svg', {id: id, 'class': 'hpo-plot', viewBox: '0 0 ' + w + ' ' + h,
                         role: 'img'}, parent);
    var x = makeAxis(xs, M.l, w - M.r), y = makeAxis(ys, h - M.b, M.t);
    var grid = sv('g', {'class': 'grid'}, svg);
    var ax = sv('g', {'class': 'axis x-axis', 'data-label': xLabel}, svg);
    var ay = sv('g', {'class': 'axis y-axis', 'data-label': yLabel}, svg);
    x.ticks().forEach(function (t) {
      var px = x.map(t.v);
      sv('line', {x1: px, x2: px, y1: M.t, y2: h - M.b}, grid);
      sv('line', {x1: px, x2: px, y1: h - M.b, y2: h - M.b + 4}, ax);
      sv('text', {x: px, y: h - M.b + 16, 'text-anchor': 'middle', 'class': 'tick',
                  'data-value': t.v}, ax, t.label);
    });
    y.ticks().forEach(function (t) {
      var py = y.map(t.v);
      sv('line', {x1: M.l, x2: w - M.r, y1: py, y2: py}, grid);
      sv('line', {x1: M.l - 4, x2: M.l, y1: py, y2: py}, ay);
      sv('text', {x: M.l - 7, y: py + 4, 'text-anchor': 'end', 'class': 'tick',
                  'data-value': t.v}, ay, t.label);
    });
    sv('path', {d: 'M' + M.l + ',' + M.t + 'V' + (h - M.b) + 'H' + (w - M.r),
                fill: 'none'}, ax);
    sv('text', {x: (M.l + w - M.r) / 2, y: h - 6, 'text-anchor': 'middle',
                'class': 'label'}, ax, xLabel);
    sv('text', {x: 14, y: (M.t + h - M.b) / 2, 'text-anchor': 'middle', 'class': 'label',
                transform: 'rotate(-90 14 ' + (M.t + h - M.b) / 2 + ')'}, ay, yLabel);
    var body = sv('g', {'class': 'data'}, svg);
    return {svg: svg, x: x, y: y, body: body, w: w, h: h};
  }

  /* A point; t (a trial) gives it data-n, which the tooltip reads: one
   * listener for the page rather than a <title> per point keeps a big
   * study's plots at half the elements. */
  function dot(g, cx, cy, r, color, t, extra) {
    var c = sv('circle', {cx: cx.toFixed(1), cy: cy.toFixed(1), r: r, fill: color,
                          'class': 'pt'}, g);
    if (t) c.setAttribute('data-n', t.n);
    if (extra) for (var k in extra) c.setAttribute(k, extra[k]);
    return c;
  }

  function colorAt(u) {
    u = Math.max(0, Math.min(1, u)) * (VIRIDIS.length - 1);
    var i = Math.min(VIRIDIS.length - 2, Math.floor(u)), f = u - i;
    var a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return 'rgb(' + [0, 1, 2].map(function (j) {
      return Math.round(a[j] + (b[j] - a[j]) * f);
    }).join(',') + ')';
  }

  /* Value -> colour, clipped to the 2nd..98th percentile so that one
   * outlier does not paint everything else one colour; the best end is
   * dark. */
  function colorScale(vals, dir) {
    var s = sortedFinite(vals);
    if (!s.length) return function () { return '#888'; };
    var lo = s[Math.floor(s.length * 0.02)], hi = s[Math.ceil(s.length * 0.98) - 1];
    return function (v) {
      var u = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      return colorAt(dir === 'maximize' ? 1 - u : u);
    };
  }

  /* ----------------------------------------------------------------- */
  /* Down-sampling (the C writer's rule: report_pick)                  */
  /* ----------------------------------------------------------------- */

  /* At most max of items: every one whose score improves on all before
   * it, then an even sample of the others, in their original order. */
  function pick(items, score, max) {
    if (items.length <= max) return items;
    var keep = new Uint8Array(items.length), kept = 0, best = Infinity;
    for (var i = 0; i < items.length && kept < max / 2; i++) {
      var s = score(items[i]);
      if (s < best) { best = s; keep[i] = 1; kept++; }
    }
    var room = max - kept, n = items.length;
    for (var j = 0; j < room; j++) {
      var k = room > 1 ? Math.floor(j * (n - 1) / (room - 1)) : 0;
      while (k < n && keep[k]) k++;
      if (k < n) keep[k] = 1;
    }
    return items.filter(function (_, i) { return keep[i]; });
  }

  /* ----------------------------------------------------------------- */
  /* The document                                                      */
  /* ----------------------------------------------------------------- */

  function parseParam(p) {
    var d = p.distribution || {}, at = d.attributes || {}, name = d.name || '';
    var out = {name: p.name, low: at.low, high: at.high, log: !!at.log,
               type: /Categorical/.test(name) ? 'categorical'
                   : /Int/.test(name) ? 'int' : 'float'};
    if (/LogUniform/.test(name)) out.log = true;
    if (out.type === 'categorical') out.choices = (at.choices || []).map(String);
    return out;
  }

  function prepare(doc) {
    var S = {doc: doc, trials: doc.trials || [], dirs: (doc.study || {}).directions || ['minimize']};
    S.params = (doc.params || []).map(parseParam);
    S.nObj = S.dirs.length;
    S.complete = S.trials.filter(function (t) {
      return t.s === 'COMPLETE' && t.v && t.v.length === S.nObj;
    });
    S.sign = S.dirs.map(function (d) { return d === 'maximize' ? -1 : 1; });
    S.score = function (t) {
      var v = t.v && t.v.length ? t.v[0] : null;
      return finite(v) ? S.sign[0] * v : Infinity;
    };
    S.importance = doc.importance && doc.importance.values && doc.importance.values.length
      ? doc.importance : null;
    /* Parameters by importance (the document's, else their order). */
    var order = S.params.map(function (p, k) { return k; });
    if (S.importance) {
      var rank = {};
      S.importance.values.forEach(function (e, i) { rank[e[0]] = i; });
      order.sort(function (a, b) {
        var ra = rank[S.params[a].name], rb = rank[S.params[b].name];
        return (ra === undefined ? 1e9 : ra) - (rb === undefined ? 1e9 : rb) || a - b;
      });
    }
    S.order = order;
    S.feasible = function (t) {
      return !t.c || t.c.every(function (c) { return c <= 0; });
    };
    if (S.nObj === 1) {
      var best = null;
      S.complete.forEach(function (t) {
        if (finite(t.v[0]) && S.feasible(t) &&
            (!best || S.sign[0] * t.v[0] < S.sign[0] * best.v[0])) best = t;
      });
      S.best = best;
    }
    return S;
  }

  function paramText(S, k, v) {
    if (v === null || v === undefined) return '';
    var p = S.params[k];
    if (p.type === 'categorical') return p.choices[v] !== undefined ? p.choices[v] : String(v);
    return fmt(v);
  }

  function trialTitle(S, t) {
    var s = 'trial ' + t.n + ' (' + t.s + ')';
    if (t.v && t.v.length) s += '\nvalue' + (t.v.length > 1 ? 's ' : ' ') + t.v.map(fmt).join(', ');
    S.params.forEach(function (p, k) {
      if (t.p[k] !== null && t.p[k] !== undefined) s += '\n' + p.name + ' = ' + paramText(S, k, t.p[k]);
    });
    return s;
  }

  /* ----------------------------------------------------------------- */
  /* Cards                                                             */
  /* ----------------------------------------------------------------- */

  function card(root, id, title, wide) {
    var c = el('section', {'class': 'hpo-card' + (wide ? ' wide' : ''), id: id + '-card'}, root);
    el('h2', {}, c, title);
    return c;
  }

  function note(c, text) { return el('p', {'class': 'hpo-note'}, c, text); }
  function empty(c, id, text) {
    return el('div', {'class': 'hpo-empty', id: id, 'data-empty': '1'}, c, text);
  }

  function shownNote(c, shown, total, what) {
    if (shown < total)
      note(c, 'showing ' + shown.toLocaleString('en') + ' of ' + total.toLocaleString('en') +
           ' ' + what + ' (every best so far, then an even sample)');
  }

  function objectiveName(S, i) {
    return S.nObj === 1 ? 'objective value' : 'objective ' + i;
  }

  function objectiveSelect(S, controls, onChange) {
    if (S.nObj < 2) return;
    var lab = el('label', {}, controls, 'objective ');
    var sel = el('select', {}, lab);
    S.dirs.forEach(function (d, i) { el('option', {value: i}, sel, i + ' (' + d + ')'); });
    sel.addEventListener('change', function () { onChange(+sel.value); });
  }

  /* Optimization history: each completed trial, and the best so far. */
  function viewHistory(S, root) {
    var c = card(root, 'plot-history', 'Optimization history');
    var controls = el('div', {'class': 'hpo-controls'}, c);
    var box = el('div', {}, c), obj = 0, logY = false;
    var lab = el('label', {}, controls);
    var cb = el('input', {type: 'checkbox', id: 'history-log'}, lab);
    lab.appendChild(document.createTextNode(' log scale'));
    objectiveSelect(S, controls, function (i) { obj = i; draw(); });
    cb.addEventListener('change', function () { logY = cb.checked; draw(); });
    function draw() {
      box.textContent = '';
      var pts = S.complete.filter(function (t) { return finite(t.v[obj]); });
      if (!pts.length) return empty(box, 'plot-history', 'No completed trial yet.');
      var sign = S.sign[obj], shown = pick(pts, function (t) { return sign * t.v[obj]; }, MAX_POINTS);
      var ys = valueSpec(pts.map(function (t) { return t.v[obj]; }), logY);
      var xs = {lo: 0, hi: Math.max(1, S.trials.length ? S.trials[S.trials.length - 1].n : 1)};
      var f = frame(box, 'plot-history', xs, ys, 'trial', objectiveName(S, obj));
      shown.forEach(function (t) {
        if (ys.log && !(t.v[obj] > 0)) return;
        dot(f.body, f.x.map(t.n), f.y.map(t.v[obj]), 2.6, S.feasible(t) ? STATE_COLOR.COMPLETE : '#aaa',
            t);
      });
      /* The best so far over every trial, not only the shown ones. */
      var best = null, d = '';
      pts.forEach(function (t) {
        if (!S.feasible(t)) return;
        if (best === null || sign * t.v[obj] < sign * best.v[obj]) {
          if (best !== null) d += 'H' + f.x.map(t.n).toFixed(1);
          best = t;
          if (!(ys.log && !(t.v[obj] > 0)))
            d += (d ? 'V' : 'M' + f.x.map(t.n).toFixed(1) + ',') + f.y.map(t.v[obj]).toFixed(1);
        }
      });
      if (best) {
        d += 'H' + f.x.map(xs.hi).toFixed(1);
        sv('path', {d: d, 'class': 'best-line'}, f.body);
        f.svg.setAttribute('data-best', best.v[obj]);
        f.svg.setAttribute('data-best-trial', best.n);
      }
      f.svg.setAttribute('data-shown', shown.length);
      f.svg.setAttribute('data-total', pts.length);
      shownNote(box, shown.length, pts.length, 'trials');
      legend(box, [['trial', STATE_COLOR.COMPLETE], ['best so far', '#d1242f']]);
    }
    draw();
  }

  function legend(parent, items) {
    var l = el('div', {'class': 'hpo-legend'}, parent);
    items.forEach(function (it) {
      var s = el('span', {}, l);
      el('i', {style: 'background:' + it[1]}, s);
      s.appendChild(document.createTextNode(it[0]));
    });
  }

  /* Intermediate values: one line per trial, coloured by its state. */
  function viewIntermediate(S, root) {
    var c = card(root, 'plot-intermediate', 'Intermediate values');
    var with_iv = S.trials.filter(function (t) { return t.iv && t.iv.length; });
    if (!with_iv.length)
      return empty(c, 'plot-intermediate', 'No trial reported intermediate values.');
    var shown = pick(with_iv, function (t) {
      var v = t.iv[t.iv.length - 1][1];
      return finite(v) ? S.sign[0] * v : Infinity;
    }, MAX_LINES);
    var steps = [], vals = [];
    with_iv.forEach(function (t) {
      t.iv.forEach(function (e) { steps.push(e[0]); vals.push(e[1]); });
    });
    var f = frame(c, 'plot-intermediate', valueSpec(steps), valueSpec(vals), 'step',
                  'intermediate value');
    shown.forEach(function (t) {
      var d = '';
      t.iv.forEach(function (e) {
        if (!finite(e[1])) return;
        d += (d ? 'L' : 'M') + f.x.map(e[0]).toFixed(1) + ',' + f.y.map(e[1]).toFixed(1);
      });
      var path = sv('path', {d: d, fill: 'none', stroke: STATE_COLOR[t.s] || '#888',
                             'stroke-width': 1.2, 'stroke-opacity': 0.7, 'data-n': t.n}, f.body);
      if (t.iv.length === 1)
        dot(f.body, f.x.map(t.iv[0][0]), f.y.map(t.iv[0][1]), 2.5, STATE_COLOR[t.s] || '#888');
    });
    f.svg.setAttribute('data-shown', shown.length);
    f.svg.setAttribute('data-total', S.doc.n_curves_total || with_iv.length);
    shownNote(c, shown.length, S.doc.n_curves_total || with_iv.length, 'curves');
    legend(c, [['complete', STATE_COLOR.COMPLETE], ['pruned', STATE_COLOR.PRUNED],
               ['failed', STATE_COLOR.FAIL], ['running', STATE_COLOR.RUNNING]]);
  }

  /* Parallel coordinates: the objective, then each parameter. */
  function viewParallel(S, root) {
    var c = card(root, 'plot-parallel', 'Parallel coordinates', true);
    var pts = S.complete.filter(function (t) { return finite(t.v[0]); });
    if (!pts.length || !S.params.length)
      return empty(c, 'plot-parallel', 'No completed trial with parameters yet.');
    var shown = pick(pts, S.score, MAX_LINES);
    var keys = S.order.slice(0, 16), w = Math.max(1200, 110 * (keys.length + 1)), h = 380;
    var svg = sv('svg', {id: 'plot-parallel', 'class': 'hpo-plot', viewBox: '0 0 ' + w + ' ' + h}, c);
    var axes = [{label: objectiveName(S, 0), spec: valueSpec(pts.map(function (t) { return t.v[0]; })),
                 get: function (t) { return t.v[0]; }}];
    keys.forEach(function (k) {
      axes.push({label: S.params[k].name, spec: paramSpec(S.params[k], pts, k),
                 get: function (t) { return t.p[k]; }});
    });
    var step = (w - 100) / Math.max(1, axes.length - 1);
    axes.forEach(function (a, i) {
      a.x = 50 + i * step;
      a.axis = makeAxis(a.spec, h - 40, 30);
    });
    var color = colorScale(pts.map(function (t) { return t.v[0]; }), S.dirs[0]);
    var body = sv('g', {'class': 'data'}, svg);
    shown.forEach(function (t) {
      var d = '', ok = true;
      axes.forEach(function (a) {
        var v = a.get(t);
        if (v === null || v === undefined || (a.spec.log && !(v > 0))) { ok = false; return; }
        d += (d ? 'L' : 'M') + a.x.toFixed(1) + ',' + a.axis.map(v).toFixed(1);
      });
      if (!d) return;
      var p = sv('path', {d: d, fill: 'none', stroke: color(t.v[0]), 'stroke-width': 1,
                          'stroke-opacity': ok ? 0.55 : 0.3, 'data-n': t.n}, body);
    });
    axes.forEach(function (a, i) {
      var g = sv('g', {'class': 'axis', 'data-label': a.label}, svg);
      sv('line', {x1: a.x, x2: a.x, y1: 30, y2: h - 40}, g);
      a.axis.ticks().forEach(function (t) {
        var y = a.axis.map(t.v);
        sv('line', {x1: a.x - 3, x2: a.x, y1: y, y2: y}, g);
        sv('text', {x: a.x - 5, y: y + 4, 'text-anchor': 'end', 'class': 'tick',
                    'data-value': t.v}, g, t.label);
      });
      sv('text', {x: a.x, y: 18, 'text-anchor': 'middle', 'class': 'title'}, g, a.label);
    });
    svg.setAttribute('data-shown', shown.length);
    svg.setAttribute('data-total', pts.length);
    shownNote(c, shown.length, pts.length, 'trials');
    if (S.params.length > keys.length) note(c, 'the ' + keys.length + ' most important of ' +
                                                 S.params.length + ' parameters');
  }

  /* Slices: the objective against each parameter. */
  function viewSlices(S, root) {
    var c = card(root, 'plot-slice', 'Slices', true);
    var pts = S.complete.filter(function (t) { return finite(t.v[0]); });
    if (!pts.length || !S.params.length)
      return empty(c, 'plot-slice-0', 'No completed trial with parameters yet.');
    var grid = el('div', {'class': 'hpo-slices'}, c);
    var shown = pick(pts, S.score, MAX_POINTS);
    var ys = valueSpec(pts.map(function (t) { return t.v[0]; }));
    var color = colorScale(shown.map(function (t) { return t.n; }), 'minimize');
    S.order.forEach(function (k) {
      var box = el('div', {}, grid), p = S.params[k];
      var has = pts.filter(function (t) { return t.p[k] !== null && t.p[k] !== undefined; });
      var f = frame(box, 'plot-slice-' + k, paramSpec(p, has, k), ys, p.name,
                    objectiveName(S, 0), {w: 420, h: 280});
      f.svg.setAttribute('data-param', p.name);
      shown.forEach(function (t) {
        var v = t.p[k];
        if (v === null || v === undefined || (p.log && !(v > 0))) return;
        dot(f.body, f.x.map(v), f.y.map(t.v[0]), 2.4, color(t.n), t);
      });
    });
    note(c, 'colour: trial number (dark = early)');
    shownNote(c, shown.length, pts.length, 'trials');
  }

  /* The two parameters the contour and rank plots use: the two most
   * important (the document's importance; see docs/cli.md). */
  function topTwo(S) {
    return S.order.length >= 2 ? [S.order[0], S.order[1]] : null;
  }

  /* Contour: the objective over the two most important parameters,
   * interpolated on a grid by inverse-distance weighting. */
  function viewContour(S, root) {
    var c = card(root, 'plot-contour', 'Contour of the two most important parameters');
    var two = topTwo(S);
    var pts = S.complete.filter(function (t) {
      return finite(t.v[0]) && two && t.p[two[0]] !== null && t.p[two[0]] !== undefined &&
             t.p[two[1]] !== null && t.p[two[1]] !== undefined;
    });
    if (!two || pts.length < 2)
      return empty(c, 'plot-contour', 'Needs two parameters and two completed trials.');
    var px = S.params[two[0]], py = S.params[two[1]];
    var xs = paramSpec(px, pts, two[0]), ys = paramSpec(py, pts, two[1]);
    var f = frame(c, 'plot-contour', xs, ys, px.name, py.name);
    f.svg.setAttribute('data-x-param', px.name);
    f.svg.setAttribute('data-y-param', py.name);
    var shown = pick(pts, S.score, 400);
    var color = colorScale(pts.map(function (t) { return t.v[0]; }), S.dirs[0]);
    var P = shown.map(function (t) { return [f.x.map(t.p[two[0]]), f.y.map(t.p[two[1]]), t.v[0]]; })
      .filter(function (q) { return finite(q[0]) && finite(q[1]); });
    var G = 36, x0 = M.l, x1 = f.w - M.r, y0 = M.t, y1 = f.h - M.b;
    var cw = (x1 - x0) / G, ch = (y1 - y0) / G, cells = sv('g', {'class': 'cells'}, f.body);
    for (var i = 0; i < G; i++) for (var j = 0; j < G; j++) {
      var cx = x0 + (i + 0.5) * cw, cy = y0 + (j + 0.5) * ch, sw = 0, sv_ = 0;
      for (var q = 0; q < P.length; q++) {
        var dx = (P[q][0] - cx) / (x1 - x0), dy = (P[q][1] - cy) / (y1 - y0);
        var d2 = dx * dx + dy * dy + 1e-6, wgt = 1 / (d2 * d2);
        sw += wgt; sv_ += wgt * P[q][2];
      }
      sv('rect', {x: (x0 + i * cw).toFixed(1), y: (y0 + j * ch).toFixed(1), width: (cw + 0.6).toFixed(1),
                  height: (ch + 0.6).toFixed(1), fill: color(sv_ / sw), 'fill-opacity': 0.85}, cells);
    }
    shown.forEach(function (t) {
      dot(f.body, f.x.map(t.p[two[0]]), f.y.map(t.p[two[1]]), 2.6, '#fff', t,
          {stroke: '#222', 'stroke-width': 0.8});
    });
    note(c, 'colour: ' + objectiveName(S, 0) + ' (dark = better), interpolated between trials; ' +
         'parameters by ' + (S.importance ? S.importance.method : 'order') + ' importance');
    shownNote(c, shown.length, pts.length, 'trials');
  }

  /* Rank: the two most important parameters, each trial coloured by the
   * rank of its value (Optuna's plot_rank). */
  function viewRank(S, root) {
    var c = card(root, 'plot-rank', 'Rank');
    var two = topTwo(S);
    var pts = S.complete.filter(function (t) {
      return finite(t.v[0]) && two && t.p[two[0]] !== null && t.p[two[0]] !== undefined &&
             t.p[two[1]] !== null && t.p[two[1]] !== undefined;
    });
    if (!two || !pts.length) return empty(c, 'plot-rank', 'Needs two parameters and a completed trial.');
    var px = S.params[two[0]], py = S.params[two[1]];
    var f = frame(c, 'plot-rank', paramSpec(px, pts, two[0]), paramSpec(py, pts, two[1]),
                  px.name, py.name);
    var sorted = sortedFinite(pts.map(S.score)), last = Math.max(1, sorted.length - 1);
    function rankOf(t) { /* how many trials score better: a binary search */
      var lo = 0, hi = sorted.length, v = S.score(t);
      while (lo < hi) { var mid = (lo + hi) >> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
      return lo;
    }
    pick(pts, S.score, MAX_POINTS).forEach(function (t) {
      var r = rankOf(t);
      dot(f.body, f.x.map(t.p[two[0]]), f.y.map(t.p[two[1]]), 3, colorAt(r / last),
          t, {'data-rank': r + 1});
    });
    note(c, 'colour: rank of ' + objectiveName(S, 0) + ' (dark = best)');
  }

  /* Importance: one bar per parameter. */
  function viewImportance(S, root) {
    var c = card(root, 'plot-importance', 'Parameter importance');
    if (!S.importance) return empty(c, 'plot-importance', 'No importance: no parameters or too few trials.');
    var vals = S.importance.values, h = 40 + 24 * vals.length, w = W;
    var svg = sv('svg', {id: 'plot-importance', 'class': 'hpo-plot', viewBox: '0 0 ' + w + ' ' + h,
                         'data-method': S.importance.method}, c);
    var max = Math.max.apply(null, vals.map(function (e) { return e[1]; }).concat([1e-12]));
    var x0 = 150, x1 = w - 60;
    vals.forEach(function (e, i) {
      var y = 14 + i * 24, len = finite(e[1]) ? (x1 - x0) * e[1] / max : 0;
      var g = sv('g', {'class': 'bar', 'data-param': e[0], 'data-value': e[1]}, svg);
      sv('text', {x: x0 - 8, y: y + 13, 'text-anchor': 'end', 'class': 'label'}, g,
         String(e[0]).slice(0, 22));
      sv('rect', {x: x0, y: y, width: Math.max(0, len).toFixed(1), height: 18,
                  fill: '#0969da'}, g);
      sv('text', {x: x0 + len + 6, y: y + 13, 'class': 'tick'}, g, fmt(+(+e[1]).toFixed(3)));
    });
    note(c, S.importance.method === 'spearman'
      ? 'stand-in: |Spearman rank correlation| with ' + objectiveName(S, 0) +
        ' over completed trials, normalised to sum to 1 (monotone effects only)'
      : 'method: ' + S.importance.method);
  }

  /* The non-dominated trials among pts (all objectives, minimised by
   * sign); constraint-violating trials are never on the front. */
  function front(S, pts) {
    var sorted = pts.filter(S.feasible).sort(function (a, b) {
      return S.sign[0] * a.v[0] - S.sign[0] * b.v[0] || S.sign[1] * a.v[1] - S.sign[1] * b.v[1];
    });
    var F = [];
    sorted.forEach(function (t) {
      var dominated = F.some(function (f) {
        var le = true, lt = false;
        for (var i = 0; i < S.nObj; i++) {
          var a = S.sign[i] * f.v[i], b = S.sign[i] * t.v[i];
          if (a > b) le = false;
          if (a < b) lt = true;
        }
        return le && lt;
      });
      if (!dominated) F.push(t);
    });
    return F;
  }

  /* Pareto front (several objectives), feasibility by constraints. */
  function viewPareto(S, root) {
    if (S.nObj < 2) return;
    var c = card(root, 'plot-pareto', 'Pareto front');
    var pts = S.complete.filter(function (t) { return t.v.every(finite); });
    if (!pts.length) return empty(c, 'plot-pareto', 'No completed trial yet.');
    var F = front(S, pts), onFront = new Set(F), pair = [0, 1];
    var controls = el('div', {'class': 'hpo-controls'}, c), box = el('div', {}, c);
    if (S.nObj > 2) [0, 1].forEach(function (axis) {
      var lab = el('label', {}, controls, (axis ? 'y' : 'x') + ' objective ');
      var sel = el('select', {}, lab);
      S.dirs.forEach(function (d, i) {
        var o = el('option', {value: i}, sel, String(i));
        if (i === axis) o.selected = true;
      });
      sel.addEventListener('change', function () { pair[axis] = +sel.value; draw(); });
    });
    function draw() {
      box.textContent = '';
      var a = pair[0], b = pair[1];
      var f = frame(box, 'plot-pareto', valueSpec(pts.map(function (t) { return t.v[a]; })),
                    valueSpec(pts.map(function (t) { return t.v[b]; })),
                    'objective ' + a + ' (' + S.dirs[a] + ')', 'objective ' + b + ' (' + S.dirs[b] + ')');
      var rest = pick(pts.filter(function (t) { return !onFront.has(t); }), S.score, MAX_POINTS);
      rest.forEach(function (t) {
        var ok = S.feasible(t);
        dot(f.body, f.x.map(t.v[a]), f.y.map(t.v[b]), 2.6, ok ? '#6e9fd8' : '#bbb',
            t, {'class': 'pt ' + (ok ? 'feasible' : 'infeasible')});
      });
      F.forEach(function (t) {
        dot(f.body, f.x.map(t.v[a]), f.y.map(t.v[b]), 3.6, '#d1242f', t,
            {'class': 'pt front'});
      });
      f.svg.setAttribute('data-front', F.length);
      shownNote(box, rest.length + F.length, pts.length, 'trials');
      var items = [['Pareto front', '#d1242f'], ['dominated', '#6e9fd8']];
      if (pts.some(function (t) { return !S.feasible(t); })) items.push(['infeasible', '#bbb']);
      legend(box, items);
    }
    draw();
  }

  /* Hypervolume history (two objectives): the area the front so far
   * dominates up to a reference point, the worst value of each objective
   * among the feasible completed trials (Optuna asks for one; this is
   * the nadir the study reached).  The front is kept sorted as trials
   * come, so the whole history costs about a front's size per trial. */
  function viewHypervolume(S, root) {
    if (S.nObj !== 2) return;
    var c = card(root, 'plot-hypervolume', 'Hypervolume history');
    var pts = S.complete.filter(function (t) { return t.v.every(finite) && S.feasible(t); });
    if (!pts.length) return empty(c, 'plot-hypervolume', 'No feasible completed trial yet.');
    var P = pts.map(function (t) { return [S.sign[0] * t.v[0], S.sign[1] * t.v[1], t.n]; });
    var rx = -Infinity, ry = -Infinity;
    P.forEach(function (p) { rx = Math.max(rx, p[0]); ry = Math.max(ry, p[1]); });
    var F = [], hist = [];
    function hv() {
      var a = 0;
      for (var i = 0; i < F.length; i++)
        a += ((i + 1 < F.length ? F[i + 1][0] : rx) - F[i][0]) * (ry - F[i][1]);
      return a;
    }
    P.forEach(function (p) {
      var lo = 0, hi = F.length; /* first front point with x > p.x */
      while (lo < hi) { var m = (lo + hi) >> 1; if (F[m][0] <= p[0]) lo = m + 1; else hi = m; }
      if (lo > 0 && F[lo - 1][1] <= p[1]) return; /* dominated */
      var end = lo;
      while (end < F.length && F[end][1] >= p[1]) end++;
      var start = lo > 0 && F[lo - 1][0] === p[0] ? lo - 1 : lo;
      F.splice(start, end - start, p);
      hist.push([p[2], hv()]);
    });
    var f = frame(c, 'plot-hypervolume', {lo: 0, hi: Math.max(1, S.trials[S.trials.length - 1].n)},
                  valueSpec(hist.map(function (h) { return h[1]; }).concat([0])), 'trial', 'hypervolume');
    var d = '';
    hist.forEach(function (h) {
      d += (d ? 'H' + f.x.map(h[0]).toFixed(1) + 'V' : 'M' + f.x.map(h[0]).toFixed(1) + ',') +
           f.y.map(h[1]).toFixed(1);
    });
    d += 'H' + f.x.map(Math.max(1, S.trials[S.trials.length - 1].n)).toFixed(1);
    sv('path', {d: d, 'class': 'best-line'}, f.body);
    f.svg.setAttribute('data-hypervolume', hist[hist.length - 1][1]);
    note(c, 'reference point: the worst value of each objective among feasible trials (' +
         fmt(S.sign[0] * rx) + ', ' + fmt(S.sign[1] * ry) + ')');
  }

  /* EDF: the share of completed trials with a value at most v. */
  function viewEdf(S, root) {
    var c = card(root, 'plot-edf', 'Empirical distribution of the objective');
    var vals = sortedFinite(S.complete.map(function (t) { return t.v[0]; }));
    if (!vals.length) return empty(c, 'plot-edf', 'No completed trial yet.');
    var f = frame(c, 'plot-edf', valueSpec(vals), {lo: 0, hi: 1}, objectiveName(S, 0),
                  'share of trials ≤ value');
    var n = vals.length, steps = Math.min(n, 1000), d = '';
    for (var j = 0; j < steps; j++) {
      var i = steps > 1 ? Math.floor(j * (n - 1) / (steps - 1)) : 0;
      var x = f.x.map(vals[i]).toFixed(1), y = f.y.map((i + 1) / n).toFixed(1);
      d += j ? 'H' + x + 'V' + y : 'M' + x + ',' + f.y.map(0).toFixed(1) + 'V' + y;
    }
    sv('path', {d: d, fill: 'none', stroke: '#0969da', 'stroke-width': 2}, f.body);
    f.svg.setAttribute('data-total', n);
  }

  /* Timeline: each trial from start to end, one row per worker; without
   * a stored worker, rows are lanes (a trial takes the first lane free
   * at its start), which is what the workers' slots were. */
  function viewTimeline(S, root) {
    var c = card(root, 'plot-timeline', 'Timeline', true);
    var ts = S.trials.filter(function (t) { return t.t && finite(t.t[0]); });
    if (!ts.length) return empty(c, 'plot-timeline', 'No trial has started.');
    var now = (S.doc.generated_at || 0) - (S.doc.time_origin || 0), t0 = Infinity, t1 = -Infinity;
    ts.forEach(function (t) {
      var e = finite(t.t[1]) ? t.t[1] : Math.max(now, t.t[0]);
      t0 = Math.min(t0, t.t[0]); t1 = Math.max(t1, e);
    });
    var lanes = {}, names = [], free = [];
    var byStart = ts, inOrder = true;
    for (var i = 1; i < ts.length && inOrder; i++) inOrder = ts[i - 1].t[0] <= ts[i].t[0];
    if (!inOrder) byStart = ts.slice().sort(function (a, b) { return a.t[0] - b.t[0] || a.n - b.n; });
    var laneOf = new Map();
    byStart.forEach(function (t) {
      var key;
      if (t.w !== undefined) {
        key = String(t.w);
      } else {
        var e = finite(t.t[1]) ? t.t[1] : t1, l = 0;
        while (l < free.length && free[l] > t.t[0]) l++;
        free[l] = e;
        key = 'lane ' + l;
      }
      if (!(key in lanes)) { lanes[key] = names.length; names.push(key); }
      laneOf.set(t, lanes[key]);
    });
    var shown = pick(byStart, function () { return Infinity; }, MAX_POINTS);
    var h = Math.min(520, Math.max(160, 60 + 16 * names.length));
    var f = frame(c, 'plot-timeline', {lo: 0, hi: Math.max(t1 - t0, 1e-3)},
                  {cats: names.length <= 40 ? names : names.map(function () { return ''; })},
                  'seconds since the first trial started', names.length && names[0].indexOf('lane') === 0 ? 'lane' : 'worker',
                  {w: 1000, h: h});
    var bh = Math.max(2, Math.min(12, (h - M.t - M.b) / names.length * 0.7));
    shown.forEach(function (t) {
      var e = finite(t.t[1]) ? t.t[1] : t1, x = f.x.map(t.t[0] - t0);
      var r = sv('rect', {x: x.toFixed(1), y: (f.y.map(laneOf.get(t)) - bh / 2).toFixed(1),
                          width: Math.max(1, f.x.map(e - t0) - x).toFixed(1), height: bh.toFixed(1),
                          fill: STATE_COLOR[t.s] || '#888', 'data-n': t.n}, f.body);
    });
    f.svg.setAttribute('data-lanes', names.length);
    shownNote(c, shown.length, ts.length, 'trials');
    legend(c, STATES.map(function (s) { return [s.toLowerCase(), STATE_COLOR[s]]; }));
  }

  /* ----------------------------------------------------------------- */
  /* The trials table                                                  */
  /* ----------------------------------------------------------------- */

  function tableColumns(S) {
    var cols = [{name: 'number', get: function (t) { return t.n; }},
                {name: 'state', get: function (t) { return t.s; }, text: true}];
    S.dirs.forEach(function (d, i) {
      cols.push({name: S.nObj === 1 ? 'value' : 'value' + i,
                 get: function (t) { return t.v && t.v.length > i ? t.v[i] : null; }});
    });
    cols.push({name: 'duration_s', get: function (t) {
      return t.t && finite(t.t[0]) && finite(t.t[1]) ? t.t[1] - t.t[0] : null;
    }});
    S.params.forEach(function (p, k) {
      cols.push({name: p.name, text: p.type === 'categorical',
                 get: p.type === 'categorical' ? function (t) { return paramText(S, k, t.p[k]); }
                                               : function (t) { return t.p[k]; }});
    });
    if (S.trials.some(function (t) { return t.c; }))
      cols.push({name: 'feasible', text: true, get: function (t) {
        return t.c ? (S.feasible(t) ? 'yes' : 'no') : '';
      }});
    var attrs = {};
    S.trials.forEach(function (t) { for (var k in t.ua || {}) attrs[k] = 1; });
    Object.keys(attrs).sort().forEach(function (k) {
      if (k === 'fail_reason') return;
      cols.push({name: k, text: true, get: function (t) {
        var v = t.ua ? t.ua[k] : undefined;
        return v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : v;
      }});
    });
    cols.push({name: 'fail_reason', text: true, get: function (t) { return t.fail || ''; }});
    return cols;
  }

  /* The filter: words separated by blanks, all must hold.  "col:text"
   * (the column's text contains it), "col>num", "col<num", "col=num",
   * or plain text anywhere in the row. */
  function makeFilter(cols, text) {
    var tests = text.trim().split(/\s+/).filter(Boolean).map(function (w) {
      var m = /^([^:<>=]+)([:<>=])(.*)$/.exec(w);
      var col = m && cols.filter(function (c) { return c.name.toLowerCase() === m[1].toLowerCase(); })[0];
      if (col) {
        var op = m[2], arg = m[3].toLowerCase(), num = parseFloat(m[3]);
        return function (t) {
          var v = col.get(t);
          if (op === ':') return String(typeof v === 'number' ? fmt(v) : v).toLowerCase().indexOf(arg) >= 0;
          if (typeof v !== 'number' || !isFinite(num)) return false;
          return op === '<' ? v < num : op === '>' ? v > num : v === num;
        };
      }
      var lw = w.toLowerCase();
      return function (t) {
        return cols.some(function (c) {
          var v = c.get(t);
          return String(typeof v === 'number' ? fmt(v) : v).toLowerCase().indexOf(lw) >= 0;
        });
      };
    });
    return function (t) { return tests.every(function (f) { return f(t); }); };
  }

  function compareBy(col, dir) {
    return function (a, b) {
      var x = col.get(a), y = col.get(b);
      var xn = x === null || x === undefined || x === '' || (typeof x === 'number' && isNaN(x));
      var yn = y === null || y === undefined || y === '' || (typeof y === 'number' && isNaN(y));
      if (xn || yn) return xn && yn ? a.n - b.n : xn ? 1 : -1; /* blanks last */
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.n - b.n;
    };
  }

  function viewTable(S, root) {
    var c = card(root, 'trials', 'Trials', true);
    var controls = el('div', {'class': 'hpo-controls'}, c);
    var input = el('input', {type: 'search', id: 'trials-filter',
                             placeholder: 'filter: state:pruned value<0.1 lr>0.01 adam'}, controls);
    var count = el('span', {id: 'trials-count'}, controls);
    var wrap = el('div', {'class': 'hpo-table-wrap'}, c);
    var table = el('table', {'class': 'hpo-table', id: 'trials-table'}, wrap);
    var cols = tableColumns(S), head = el('tr', {}, el('thead', {}, table));
    var tbody = el('tbody', {}, table);
    var pager = el('div', {'class': 'hpo-pager'}, c);
    var prev = el('button', {id: 'trials-prev'}, pager, '‹ previous');
    var pageText = el('span', {id: 'trials-page'}, pager);
    var next = el('button', {id: 'trials-next'}, pager, 'next ›');
    var state = {sort: 0, dir: 1, page: 0, rows: S.trials};
    cols.forEach(function (col, i) {
      var th = el('th', {'data-col': col.name}, head, col.name);
      th.addEventListener('click', function () {
        state.dir = state.sort === i ? -state.dir : 1;
        state.sort = i;
        update();
      });
    });
    function update() {
      var f = makeFilter(cols, input.value);
      state.rows = S.trials.filter(f).sort(compareBy(cols[state.sort], state.dir));
      state.page = 0;
      Array.prototype.forEach.call(head.children, function (th, i) {
        th.className = i === state.sort ? (state.dir > 0 ? 'sorted-asc' : 'sorted-desc') : '';
      });
      draw();
    }
    function draw() {
      var pages = Math.max(1, Math.ceil(state.rows.length / PAGE_ROWS));
      state.page = Math.max(0, Math.min(state.page, pages - 1));
      tbody.textContent = '';
      var from = state.page * PAGE_ROWS;
      state.rows.slice(from, from + PAGE_ROWS).forEach(function (t) {
        var tr = el('tr', {'data-n': t.n}, tbody);
        cols.forEach(function (col) {
          var v = col.get(t);
          var td = el('td', {'class': col.text ? 'text' : ''}, tr,
                      typeof v === 'number' ? fmt(v) : v === null || v === undefined ? '' : String(v));
          if (col.name === 'state') td.className = 'text state state-' + v;
        });
      });
      count.textContent = state.rows.length.toLocaleString('en') + ' of ' +
        S.trials.length.toLocaleString('en') + ' trials';
      pageText.textContent = 'page ' + (state.page + 1) + ' of ' + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      table.setAttribute('data-rows', state.rows.length);
    }
    prev.addEventListener('click', function () { state.page--; draw(); });
    next.addEventListener('click', function () { state.page++; draw(); });
    input.addEventListener('input', update);
    update();
    if (S.doc.n_included < S.doc.n_trials)
      note(c, 'this page holds ' + S.doc.n_included + ' of the study\'s ' + S.doc.n_trials +
           ' trials (hpo report --max-trials)');
  }

  /* ----------------------------------------------------------------- */
  /* The page                                                          */
  /* ----------------------------------------------------------------- */

  function header(S, root) {
    var st = S.doc.study || {};
    el('h1', {id: 'study-name'}, root, st.name || 'study');
    var sub = S.dirs.join(', ') + ' · ' + S.params.length + ' parameter' +
      (S.params.length === 1 ? '' : 's') + ' · written by hpo ' + (S.doc.hpo_version || '') +
      (S.doc.generated_at ? ' on ' + new Date(S.doc.generated_at * 1000).toISOString()
        .replace('T', ' ').slice(0, 19) + ' UTC' : '');
    el('p', {'class': 'hpo-sub'}, root, sub);
    var cli = (st.attrs || {})['hpo:cli'];
    if (cli && cli.command && cli.command.join)
      el('p', {'class': 'hpo-sub', id: 'study-command'}, root, 'command: ' + cli.command.join(' '));
    var sum = el('div', {'class': 'hpo-summary', id: 'summary'}, root);
    function chip(label, value, id) {
      var c = el('span', {'class': 'hpo-chip', id: id || ''}, sum, label + ' ');
      el('b', {}, c, value);
    }
    chip('trials', String(S.doc.n_trials || 0), 'chip-trials');
    var counts = S.doc.counts || {};
    STATES.forEach(function (s) { if (counts[s]) chip(s.toLowerCase(), String(counts[s])); });
    if (S.best) {
      chip('best value', fmt(S.best.v[0]), 'chip-best');
      chip('best trial', String(S.best.n));
    }
    return sum;
  }

  var VIEWS = [['plot-history', 'History', viewHistory],
               ['plot-intermediate', 'Intermediate values', viewIntermediate],
               ['plot-pareto', 'Pareto front', viewPareto],
               ['plot-hypervolume', 'Hypervolume', viewHypervolume],
               ['plot-parallel', 'Parallel coordinates', viewParallel],
               ['plot-importance', 'Importance', viewImportance],
               ['plot-contour', 'Contour', viewContour],
               ['plot-rank', 'Rank', viewRank],
               ['plot-edf', 'EDF', viewEdf],
               ['plot-slice', 'Slices', viewSlices],
               ['plot-timeline', 'Timeline', viewTimeline],
               ['trials', 'Trials', viewTable]];

  function render(doc, root) {
    root.textContent = '';
    if (!doc || doc.format !== 'hpo-report') {
      el('p', {'class': 'hpo-empty'}, root, 'This is not an hpo report document.');
      return;
    }
    var S = prepare(doc);
    if (!document.getElementById('hpo-tip')) installTip();
    tooltip(S);
    document.title = 'hpo report: ' + ((doc.study || {}).name || '');
    header(S, root);
    if (!S.trials.length) {
      el('p', {'class': 'hpo-empty', id: 'no-trials'}, root,
         'This study has no trials yet: nothing to plot.');
      return;
    }
    var nav = el('nav', {'class': 'hpo-nav'}, root), times = {};
    var grid = el('div', {'class': 'hpo-grid'}, root);
    VIEWS.forEach(function (v) {
      if ((v[0] === 'plot-pareto' && S.nObj < 2) || (v[0] === 'plot-hypervolume' && S.nObj !== 2))
        return;
      el('a', {href: '#' + v[0] + '-card'}, nav, v[1]);
      var t0 = performance.now();
      try {
        v[2](S, grid);
        times[v[0]] = Math.round(performance.now() - t0);
      } catch (e) {
        console.error('hpo report: ' + v[0] + ': ' + (e && e.stack || e));
        el('p', {'class': 'hpo-empty'}, grid, v[1] + ' could not be drawn: ' + e);
      }
    });
    /* Milliseconds per view, for the benchmark and the curious. */
    root.setAttribute('data-view-ms', JSON.stringify(times));
    el('p', {'class': 'hpo-foot'}, root, 'Plots drawn by hpo\'s own renderer (SVG); ' +
       'this file needs no network. Hover a point for its trial.');
  }

  /* The tooltip: the trial under the pointer (any element with data-n). */
  var tipFor = null;
  function tooltip(S) {
    var byN = {};
    S.trials.forEach(function (t) { byN[t.n] = t; });
    tipFor = function (n) {
      var t = byN[n];
      if (!t) return '';
      var s = trialTitle(S, t);
      if (t.t && finite(t.t[0]) && finite(t.t[1])) s += '\n' + fmt(t.t[1] - t.t[0]) + ' s';
      if (t.c) s += S.feasible(t) ? '\nfeasible' : '\ninfeasible';
      return s;
    };
  }

  function installTip() {
    var tip = el('div', {'class': 'hpo-tip', id: 'hpo-tip'}, document.body);
    document.addEventListener('mouseover', function (e) {
      var n = e.target && e.target.getAttribute && e.target.getAttribute('data-n');
      if (n === null || !tipFor || !e.target.closest('svg')) { tip.style.display = 'none'; return; }
      tip.textContent = tipFor(+n);
      tip.style.display = 'block';
    });
    document.addEventListener('mousemove', function (e) {
      tip.style.left = (e.clientX + 14) + 'px';
      tip.style.top = (e.clientY + 14) + 'px';
    });
  }

  window.hpoReport = {render: render, version: 1};

  function boot() {
    var data = document.getElementById('hpo-data');
    var root = document.getElementById('hpo-report');
    if (!data || !root || !data.textContent.trim()) return;
    var t0 = performance.now();
    render(JSON.parse(data.textContent), root);
    document.body.setAttribute('data-render-ms', (performance.now() - t0).toFixed(1));
    document.body.setAttribute('data-rendered', '1');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
