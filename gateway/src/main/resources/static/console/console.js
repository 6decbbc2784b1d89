// Operator console of Chuanyu Exchange. Plain browser JavaScript: no framework, no build step, nothing fetched
// from anywhere but this gateway. Everything the API returns is rendered through textContent / attributes only
// (never innerHTML), so data can never become markup.
'use strict';

(function () {
  const KEY_STORAGE = 'chuanyu.console.operatorKey';
  const REFRESH_MS = 5000;
  const VERIFY_EVERY_MS = 60000;
  const TIMELINE_WINDOW = '60m';
  const DEAD_LETTER_PAGE = 50;
  const PALETTE = ['#2458c6', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0b7285', '#c2255c', '#5c940d',
    '#364fc7', '#862e9c'];

  const $ = (id) => document.getElementById(id);
  const state = {
    timer: null,
    refreshing: false,
    lastVerifyAt: 0,
    deadLetterPages: 1,
    traceId: '',
  };

  // ---------------------------------------------------------------- DOM helpers (text only, never markup)

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    applyAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    applyAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function applyAttrs(node, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.setAttribute('class', value);
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, String(value));
    }
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function text(value) {
    if (value === undefined || value === null || value === '') return '—';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  function pad(n) { return String(n).padStart(2, '0'); }

  // The browser's zone offset at that moment, e.g. +08:00: a time shown without its zone is ambiguous.
  function fmtZone(d) {
    const minutes = -d.getTimezoneOffset();
    const abs = Math.abs(minutes);
    return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  // Local date and time with the zone offset; withMillis for the trace, where steps are milliseconds apart.
  function fmtTime(value, withMillis) {
    if (!value) return '—';
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) return String(value);
    const ms = withMillis ? `.${String(d.getMilliseconds()).padStart(3, '0')}` : '';
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${ms} ${fmtZone(d)}`;
  }

  function fmtClock(value) {
    const d = new Date(value);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  function fmtAgo(value) {
    const ms = Date.now() - new Date(value).getTime();
    if (!Number.isFinite(ms)) return '';
    const abs = Math.abs(ms);
    const units = [[86400000, 'd'], [3600000, 'h'], [60000, 'min'], [1000, 's']];
    for (const [size, name] of units) {
      if (abs >= size) return `${Math.floor(abs / size)} ${name}`;
    }
    return '0 s';
  }

  function fmtRate(value) {
    const n = Number(value);
    if (!Number.isFinite(n)) return '—';
    return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(4);
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, problem, raw) {
      super((problem && (problem.detail || problem.title)) || raw || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
      this.raw = raw;
    }
  }

  async function api(path, options = {}) {
    const key = sessionStorage.getItem(KEY_STORAGE);
    let response;
    try {
      response = await fetch(path, {
        method: options.method || 'GET',
        cache: 'no-store',
        credentials: 'omit',
        headers: { 'Accept': 'application/json, application/problem+json', 'Authorization': `Bearer ${key}` },
      });
    } catch (networkError) {
      throw new ApiError(0, { title: 'Gateway unreachable', detail: String(networkError.message || networkError) });
    }
    const body = await response.text();
    let json = null;
    if (body) {
      try { json = JSON.parse(body); } catch (notJson) { json = null; }
    }
    if (!response.ok) {
      const problem = json && typeof json === 'object' ? json
        : { title: response.statusText || 'Error', detail: body ? body.slice(0, 300) : undefined };
      if (problem.status === undefined) problem.status = response.status;
      throw new ApiError(response.status, problem, body);
    }
    return json;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') search.set(name, value);
    }
    const s = search.toString();
    return s ? `?${s}` : '';
  }

  // ---------------------------------------------------------------- panels and problems

  function panel(name) { return document.querySelector(`[data-panel="${name}"]`); }

  function problemView(error, context) {
    const problem = (error && error.problem) || { title: 'Error', detail: String(error && error.message || error) };
    const status = problem.status || (error && error.status);
    const box = document.createDocumentFragment();
    box.appendChild(el('div', { class: 'problem-title' },
      context ? `${context}: ` : '', status ? `${status} ` : '', problem.title || 'Error'));
    if (problem.detail) box.appendChild(el('div', { class: 'problem-detail' }, problem.detail));
    const extra = Object.entries(problem).filter(([name]) => !['title', 'detail', 'status'].includes(name)
      && !(name === 'type' && problem.type === 'about:blank'));
    if (extra.length) {
      box.appendChild(el('dl', {}, extra.map(([name, value]) => [el('dt', {}, name), el('dd', {}, text(value))])));
    }
    if (status === 404 && !problem.detail) {
      box.appendChild(el('div', {}, 'This endpoint may not be deployed yet; the other panels keep working.'));
    }
    return box;
  }

  function showError(section, error, context) {
    const box = section.querySelector('.error');
    clear(box).appendChild(problemView(error, context));
    box.hidden = false;
    section.dataset.state = 'error';
  }

  function showOk(section) {
    const box = section.querySelector('.error');
    clear(box).hidden = true;
    section.dataset.state = 'ok';
    const stamp = section.querySelector('.stamp');
    if (stamp) stamp.textContent = `updated ${fmtTime(Date.now())}`;
  }

  async function runPanel(name, load) {
    const section = panel(name);
    try {
      await load(section);
      showOk(section);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw error;
      showError(section, error);
    }
  }

  function emptyRow(table, columns, message) {
    table.tBodies[0].appendChild(el('tr', {}, el('td', { class: 'empty', colspan: columns }, message)));
  }

  // ---------------------------------------------------------------- flows + queues

  async function refreshFlows() {
    let flows = null;
    let flowsError = null;
    await runPanel('flows', async () => {
      // The history comes from the server (audit entries per minute), so a reload or a new tab shows the same.
      const [flowsResult, timelineResult] = await Promise.allSettled([api('/api/v1/ops/flows?window=1h'),
        api(`/api/v1/ops/flows/timeline?window=${TIMELINE_WINDOW}`)]);
      if (flowsResult.status === 'rejected') {
        flowsError = flowsResult.reason;
        throw flowsError;
      }
      flows = flowsResult.value;
      if (timelineResult.status === 'rejected') throw timelineResult.reason;
      drawTimeline(timelineResult.value);
      const tbody = clear($('flows-table').tBodies[0]);
      const types = [...(flows.eventTypes || [])].sort((a, b) => (b.ratePerSecond || 0) - (a.ratePerSecond || 0));
      types.forEach((item) => tbody.appendChild(el('tr', { 'data-type': item.type },
        el('td', { class: 'mono' }, text(item.type)),
        el('td', { class: 'num' }, text(item.published)),
        el('td', { class: 'num' }, fmtRate(item.ratePerSecond)))));
      if (!types.length) emptyRow($('flows-table'), 3, 'no events in the last hour');
    });
    // Queues come from the same response; without it the queues panel shows the same problem.
    await runPanel('queues', async () => {
      if (!flows) throw flowsError || new Error('no flow data');
      const table = $('queues-table');
      const tbody = clear(table.tBodies[0]);
      (flows.queues || []).forEach((q) => tbody.appendChild(el('tr', {
        'data-queue': q.name, class: Number(q.deadLetterQueueDepth) > 0 ? 'hot' : undefined },
      el('td', { class: 'mono' }, text(q.name)),
      el('td', { class: 'num' }, text(q.messages)),
      el('td', { class: 'num' }, text(q.consumers)),
      el('td', { class: 'num', title: 'messages waiting in this queue\'s retry (delay) queues' }, text(q.retrying)),
      el('td', { class: 'num' }, text(q.deadLetterQueueDepth)),
      el('td', { class: 'num' }, text(q.deadLettered)),
      el('td', { class: 'num' }, text(q.replayed)))));
      if (!(flows.queues || []).length) emptyRow(table, 7, 'no queues reported');
    });
  }

  function drawTimeline(timeline) {
    const minutes = (timeline.minutes || []).map((m) => new Date(m).getTime());
    const series = timeline.series || [];
    // The gateway writes one access record per request, so business events plotted beside them would be flat.
    drawChart($('flows-chart'), 'flows-svg', 'business and platform events per minute', minutes,
      series.filter((s) => s.group !== 'access'), 'no business events in the last hour');
    drawChart($('access-chart'), 'access-svg', 'gateway access records per minute', minutes,
      series.filter((s) => s.group === 'access'), 'no gateway access records in the last hour');
    $('timeline-note').textContent = `per minute from ${fmtTime(timeline.from)} to ${fmtTime(timeline.generatedAt)}`
      + ' (the last minute is still running); kept by the server, so every tab and reload shows the same';
  }

  function drawChart(host, id, label, minutes, allSeries, emptyText) {
    clear(host);
    const W = 900, H = 200, L = 56, R = 12, T = 12, B = 26;
    const series = allSeries.slice(0, PALETTE.length);
    const n = minutes.length;
    let max = 0;
    let total = 0;
    series.forEach((s) => (s.counts || []).forEach((c) => { max = Math.max(max, c); total += c; }));
    const top = niceCeil(max);
    const x = (i) => L + (n > 1 ? i / (n - 1) : 0) * (W - L - R);
    const y = (v) => T + (1 - v / top) * (H - T - B);

    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${label}, last hour`, id,
      'data-total': total, 'data-series': series.length });
    for (let i = 0; i <= 4; i++) {
      const v = (top * i) / 4;
      chart.appendChild(svg('line', { class: 'grid-line', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
      chart.appendChild(svg('text', { x: L - 6, y: y(v) + 3, 'text-anchor': 'end' }, Number.isInteger(v) ? v : v.toFixed(1)));
    }
    for (let i = n - 1; i >= 0; i -= 10) {
      chart.appendChild(svg('text', { x: x(i), y: H - 8, 'text-anchor': 'middle' }, fmtClock(minutes[i])));
    }
    chart.appendChild(svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
    chart.appendChild(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
    chart.appendChild(svg('text', { x: 4, y: T + 4, 'text-anchor': 'start' }, '/min'));
    series.forEach((s, i) => {
      const points = (s.counts || []).map((c, j) => `${x(j).toFixed(1)},${y(c).toFixed(1)}`);
      chart.appendChild(svg('polyline', { class: 'series', stroke: PALETTE[i], points: points.join(' '),
        'data-type': s.type }, svg('title', {}, `${s.type}: ${s.total} in the last hour`)));
    });
    host.appendChild(chart);
    const legend = el('div', { class: 'legend' });
    series.forEach((s, i) => legend.appendChild(el('span', {}, swatch(PALETTE[i]), s.type, ` ${s.total}`)));
    if (allSeries.length > series.length) {
      legend.appendChild(el('span', { class: 'muted' }, `+${allSeries.length - series.length} more types in the table`));
    }
    if (!series.length) legend.appendChild(el('span', { class: 'muted' }, emptyText));
    host.appendChild(legend);
  }

  // Through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
  function swatch(color) {
    const node = el('span', { class: 'swatch' });
    node.style.background = color;
    return node;
  }

  function niceCeil(value) {
    if (!(value > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (value <= step * power) return step * power;
    }
    return 10 * power;
  }

  // ---------------------------------------------------------------- dead letters

  function deadLetterFilters() {
    return { state: $('dl-state').value, queue: $('dl-queue').value.trim(), type: $('dl-type').value.trim() };
  }

  async function refreshDeadLetters() {
    await runPanel('dead-letters', async () => {
      const items = [];
      let cursor;
      let next = null;
      for (let page = 0; page < state.deadLetterPages; page++) {
        const result = await api('/api/v1/ops/dead-letters'
          + query({ ...deadLetterFilters(), limit: DEAD_LETTER_PAGE, cursor }));
        items.push(...(result.items || []));
        next = result.nextCursor || null;
        if (!next) break;
        cursor = next;
      }
      const table = $('dead-letters-table');
      const tbody = clear(table.tBodies[0]);
      items.forEach((item) => tbody.appendChild(deadLetterRow(item)));
      if (!items.length) emptyRow(table, 8, 'no dead letters match');
      $('dl-more').hidden = !next;
    });
  }

  function deadLetterRow(item) {
    const pending = item.state === 'PENDING';
    const row = el('tr', { 'data-id': item.id, 'data-state': item.state, 'data-event-id': item.eventId });
    const ids = el('div', { class: 'ids mono' },
      el('div', {}, 'id ', text(item.id)),
      el('div', {}, 'event ', text(item.eventId)),
      item.exchangeId ? el('div', {}, 'exchange ', item.exchangeId) : null,
      item.correlationId ? el('div', {}, 'correlation id ', el('a', {
        role: 'button', tabindex: 0, title: 'show the trace of this correlation id',
        onclick: () => startTrace(item.correlationId),
      }, item.correlationId)) : null);
    const payload = item.payload === undefined || item.payload === null ? null
      : el('details', {}, el('summary', {}, 'payload'),
        el('pre', {}, typeof item.payload === 'string' ? item.payload : JSON.stringify(item.payload, null, 2)));
    append(row, [
      el('td', { title: text(item.deadLetteredAt) }, fmtTime(item.deadLetteredAt)),
      el('td', { class: 'mono' }, text(item.queue)),
      el('td', { class: 'mono' }, text(item.type)),
      el('td', {}, text(item.reason), payload),
      el('td', { class: 'num' }, text(item.attempts)),
      el('td', { class: 'state' }, el('span', { class: `badge ${item.state || ''}` }, text(item.state))),
      el('td', {}, ids),
      el('td', {}, el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'small replay', disabled: !pending, 'data-action': 'replay',
          onclick: (event) => replay(item, event.currentTarget) }, 'Replay'),
        el('button', { type: 'button', class: 'small danger discard', disabled: !pending, 'data-action': 'discard',
          onclick: () => askDiscard(item) }, 'Discard'))),
    ]);
    return row;
  }

  function setRowState(id, newState) {
    const row = document.querySelector(`#dead-letters-table tr[data-id="${CSS.escape(String(id))}"]`);
    if (!row) return;
    row.dataset.state = newState;
    const badge = row.querySelector('td.state .badge');
    badge.className = `badge ${newState}`;
    badge.textContent = newState;
    row.querySelectorAll('button[data-action]').forEach((b) => { b.disabled = newState !== 'PENDING'; });
  }

  function notice(message) {
    const box = $('dl-notice');
    box.textContent = message;
    box.hidden = false;
  }

  async function replay(item, button) {
    const section = panel('dead-letters');
    button.disabled = true;
    try {
      const result = await api(`/api/v1/ops/dead-letters/${encodeURIComponent(item.id)}/replay`, { method: 'POST' });
      setRowState(item.id, (result && result.state) || 'REPLAYED');
      notice(`Replayed ${item.id}${result && result.replayedAt ? ` at ${fmtTime(result.replayedAt)}` : ''}.`);
      refreshSoon();
    } catch (error) {
      button.disabled = false;
      if (error.status === 401) return sessionExpired(error);
      showError(section, error, `Replay of ${item.id}`);
    }
  }

  function askDiscard(item) {
    const dialog = $('discard-dialog');
    $('discard-what').textContent = `${item.id} · ${text(item.type)} · ${text(item.queue)}`;
    $('discard-reason').value = '';
    dialog.dataset.id = item.id;
    dialog.showModal();
  }

  async function discard(id, reason) {
    const section = panel('dead-letters');
    try {
      await api(`/api/v1/ops/dead-letters/${encodeURIComponent(id)}${query({ reason })}`, { method: 'DELETE' });
      setRowState(id, 'DISCARDED');
      notice(`Discarded ${id}.`);
      refreshSoon();
    } catch (error) {
      if (error.status === 401) return sessionExpired(error);
      showError(section, error, `Discard of ${id}`);
    }
  }

  // ---------------------------------------------------------------- link to the other region

  async function refreshLinks() {
    await runPanel('links', async () => {
      const links = await api('/api/v1/ops/links');
      const table = $('links-table');
      const tbody = clear(table.tBodies[0]);
      (links || []).forEach((link) => tbody.appendChild(linkRow(link)));
      if (!(links || []).length) emptyRow(table, 8, 'one node serving both regions: no link');
    });
  }

  function linkRow(link) {
    const paused = link.state === 'PAUSED';
    const age = link.oldestWaitingAge === null || link.oldestWaitingAge === undefined ? '—'
      : `${link.oldestWaitingAge} s`;
    return el('tr', { 'data-peer': link.peer, 'data-state': link.state },
      el('td', { class: 'mono' }, text(link.peer)),
      el('td', { class: 'state' }, el('span', { class: `badge ${link.state === 'RUNNING' ? 'ok' : 'bad'}` },
        text(link.state))),
      el('td', { title: text(link.since) }, link.since ? `${fmtAgo(link.since)} ago` : '—'),
      el('td', { class: 'num' }, text(link.outboundWaiting)),
      el('td', { class: 'num' }, text(link.inboundWaiting)),
      el('td', { class: 'num' }, age),
      el('td', { title: text(link.lastDeliveryAt) }, link.lastDeliveryAt ? `${fmtAgo(link.lastDeliveryAt)} ago` : '—'),
      el('td', {}, el('div', { class: 'actions' },
        el('button', { type: 'button', class: `small${paused ? '' : ' danger'}`, 'data-action': paused ? 'resume' : 'pause',
          onclick: (event) => steerLink(link.peer, paused ? 'resume' : 'pause', event.currentTarget) },
        paused ? 'Resume' : 'Pause'))));
  }

  async function steerLink(peer, action, button) {
    const section = panel('links');
    button.disabled = true;
    try {
      const link = await api(`/api/v1/ops/links/${encodeURIComponent(peer)}/${action}`, { method: 'POST' });
      const box = $('link-notice');
      box.textContent = `Link to ${peer} ${action === 'pause' ? 'paused' : 'resumed'}`
        + ` (${text(link && link.outboundWaiting)} waiting to cross).`;
      box.hidden = false;
      refreshSoon();
    } catch (error) {
      button.disabled = false;
      if (error.status === 401) return sessionExpired(error);
      showError(section, error, `${action === 'pause' ? 'Pause' : 'Resume'} of the link to ${peer}`);
    }
  }

  // ---------------------------------------------------------------- overdue exchanges

  async function refreshOverdue() {
    await runPanel('overdue', async () => {
      // Oldest first, page by page (at most 10 pages of 500: beyond that the table would not be read anyway).
      const all = [];
      let cursor;
      for (let page = 0; page < 10; page++) {
        const result = await api('/api/v1/ops/exchanges' + query({ overdue: 'true', limit: 500, cursor }));
        all.push(...(result.items || []));
        cursor = result.nextCursor || null;
        if (!cursor) break;
      }
      const table = $('overdue-table');
      const tbody = clear(table.tBodies[0]);
      const items = all.sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)));
      items.forEach((item) => tbody.appendChild(el('tr', { 'data-id': item.id },
        el('td', {}, text(item.kind)),
        el('td', { class: 'mono' }, text(item.id)),
        el('td', { class: 'mono' }, `${text(item.fromAgency)} → ${text(item.toAgency)}`),
        el('td', {}, text(item.state)),
        el('td', { title: text(item.dueAt) }, fmtTime(item.dueAt), el('div', { class: 'muted' }, `${fmtAgo(item.dueAt)} late`)))));
      if (!items.length) emptyRow(table, 5, 'nothing is overdue');
    });
  }

  // ---------------------------------------------------------------- trace

  function startTrace(correlationId) {
    $('trace-id').value = correlationId;
    state.traceId = correlationId;
    refreshTrace().catch(handleFatal);
    panel('trace').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }

  async function refreshTrace() {
    if (!state.traceId) return;
    await runPanel('trace', async () => {
      const result = await api(`/api/v1/ops/trace/${encodeURIComponent(state.traceId)}`);
      const list = clear($('trace-timeline'));
      // By instant, to the millisecond (ISO strings do not sort as text: "…:01Z" vs "…:01.5Z"); ties keep the
      // server's order, which puts an event before its own recording.
      const steps = (result.timeline || []).map((step, i) => ({ step, i, t: Date.parse(step.time) }))
        .sort((a, b) => (a.t - b.t) || (a.i - b.i)).map((entry) => entry.step);
      const heading = $('trace-heading');
      clear(heading);
      append(heading, ['correlation id ', el('code', { id: 'trace-correlation-id' }, text(result.correlationId)),
        ` · ${steps.length} step${steps.length === 1 ? '' : 's'}`]);
      steps.forEach((step) => list.appendChild(el('li', { 'data-kind': step.kind, 'data-time': step.time },
        el('div', { class: 'when', title: text(step.time) }, fmtTime(step.time, true), ' · ', text(step.kind), step.source ? ` · ${step.source}` : ''),
        el('div', { class: 'what mono' }, text(step.type)),
        // An access record's subject is the request's correlation id, not an exchange.
        step.exchangeId && step.exchangeId !== result.correlationId
          ? el('div', { class: 'detail mono' }, 'exchange ', step.exchangeId) : null,
        step.detail !== undefined && step.detail !== null
          ? el('div', { class: 'detail' }, typeof step.detail === 'string' ? step.detail : JSON.stringify(step.detail))
          : null)));
      if (!steps.length) list.appendChild(el('li', { class: 'muted' }, 'nothing recorded for this correlation id'));
    });
  }

  // ---------------------------------------------------------------- audit

  const VERIFY_FACTS = [
    ['signedHeadsChecked', 'signed heads checked'],
    ['mismatchedEntries', 'entries not matching their leaf'],
    ['mismatchedNodes', 'tree nodes not matching'],
    ['entriesWithoutLeaf', 'entries without a leaf'],
    ['firstBadSignedTreeSize', 'first signed head not reproduced'],
    ['recomputedRoot', 'recomputed root (whole log)'],
    ['storedRootMatches', 'stored tree gives the same root'],
    ['tookMillis', 'took (ms)'],
  ];

  async function refreshAudit(forceVerify) {
    const section = panel('audit');
    let failure = null;
    try {
      const head = await api('/api/v1/audit/tree-head');
      const facts = clear($('tree-head'));
      append(facts, [
        el('dt', {}, 'entries covered (tree size)'), el('dd', { id: 'tree-size' }, text(head.treeSize)),
        el('dt', {}, 'root hash'), el('dd', { class: 'mono' }, text(head.rootHash)),
        el('dt', {}, 'signed at'), el('dd', { title: text(head.timestamp), id: 'tree-head-signed-at' }, fmtTime(head.timestamp)),
        el('dt', {}, 'checkpoint'), el('dd', {}, head.checkpoint
          ? el('details', {}, el('summary', {}, 'signed note'), el('pre', {}, text(head.checkpoint))) : '—'),
      ]);
    } catch (error) {
      if (error.status === 401) throw error;
      failure = failure || [error, 'Tree head'];
    }
    try {
      // The checkpoint the log publishes is the latest one its witnesses cosigned: show how old that is.
      const witnessed = await api('/api/v1/audit/witnesses');
      const facts = $('tree-head');
      const published = witnessed.published;
      const stale = published && published.ageSeconds > witnessed.alertAfterSeconds;
      append(facts, [
        el('dt', {}, 'witness-cosigned checkpoint'),
        el('dd', { id: 'cosigned-age' }, witnessed.witnesses.length === 0 ? 'no witnesses configured'
          : published ? [el('span', { class: `badge ${stale ? 'bad' : 'ok'}` }, `${published.ageSeconds} s old`),
            ` size ${published.treeSize}, ${published.cosignatures} of ${witnessed.witnesses.length} witness(es)`
            + (stale ? ` (alert after ${witnessed.alertAfterSeconds} s)` : '')]
            : el('span', { class: 'badge bad' }, 'none cosigned yet')),
      ]);
    } catch (error) {
      if (error.status === 401) throw error;
      failure = failure || [error, 'Witnesses'];
    }
    if (forceVerify || Date.now() - state.lastVerifyAt >= VERIFY_EVERY_MS) {
      state.lastVerifyAt = Date.now();
      const box = clear($('verification'));
      try {
        const result = await api('/api/v1/audit/verify');
        const ok = result.ok === true;
        box.dataset.ok = String(ok);
        // Verify recomputes the whole log as it is when it runs; the signed head above is the last periodic
        // signature (every few seconds) and is refreshed more often. So the two counts are of different moments:
        // each is shown with its own moment, and the verification names the signed head it checked against.
        const signed = result.latestSignedTreeSize;
        append(box, [
          el('div', {}, el('span', { class: `badge ${ok ? 'ok' : 'bad'}`, id: 'verify-result' },
            ok ? 'verified' : 'MISMATCH'), ' the whole log: ',
          el('strong', { id: 'verify-tree-size' }, text(result.treeSize)), ' entries recomputed, as of ',
          el('span', { title: text(result.checkedAt) }, fmtTime(result.checkedAt || Date.now(), true))),
          signed !== undefined && signed !== null ? el('div', { id: 'verify-signed' },
            `latest signed tree head at that moment: ${signed} entries, root ${result.signedRootMatches ? 'reproduced' : 'NOT reproduced'}`
            + (result.treeSize > signed ? ` (${result.treeSize - signed} entries recorded since it was signed)` : ''))
            : el('div', { class: 'muted' }, 'no signed tree head yet'),
          !ok && result.firstMismatchSeq !== undefined && result.firstMismatchSeq !== null
            ? el('div', {}, 'first mismatch at seq ', el('strong', {}, text(result.firstMismatchSeq)),
              result.firstMismatchReason ? `: ${result.firstMismatchReason}` : '') : null,
          el('dl', { class: 'facts' }, VERIFY_FACTS.filter(([name]) => name in result)
            .map(([name, label]) => [el('dt', {}, label), el('dd', { class: 'mono' }, text(result[name]))])),
        ]);
      } catch (error) {
        if (error.status === 401) throw error;
        box.appendChild(el('div', { class: 'muted' }, 'verification unavailable'));
        failure = failure || [error, 'Verification'];
      }
    }
    if (failure) showError(section, failure[0], failure[1]);
    else showOk(section);
  }

  // ---------------------------------------------------------------- refresh loop and session

  async function refreshAll() {
    if (state.refreshing) return;
    state.refreshing = true;
    $('refresh-status').textContent = 'refreshing…';
    try {
      // Independent panels: one failing endpoint never stops the others.
      const results = await Promise.allSettled([refreshFlows(), refreshDeadLetters(), refreshOverdue(),
        refreshLinks(), refreshAudit(false), refreshTrace()]);
      const unauthorized = results.find((r) => r.status === 'rejected');
      if (unauthorized) return handleFatal(unauthorized.reason);
      $('refresh-status').textContent = `updated ${fmtTime(Date.now())}`;
    } finally {
      state.refreshing = false;
    }
  }

  let soon = null;
  function refreshSoon() {
    clearTimeout(soon);
    soon = setTimeout(() => refreshAll().catch(handleFatal), 400);
  }

  function handleFatal(error) {
    if (error instanceof ApiError && error.status === 401) return sessionExpired(error);
    console.error(error);
  }

  function sessionExpired(error) {
    logout();
    const box = $('login-error');
    clear(box).appendChild(problemView(error, 'The gateway no longer accepts this key'));
    box.hidden = false;
  }

  function startTimer() {
    stopTimer();
    if ($('auto-refresh').checked) state.timer = setInterval(() => refreshAll().catch(handleFatal), REFRESH_MS);
  }

  function stopTimer() {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
  }

  function showConsole() {
    $('login').hidden = true;
    $('console').hidden = false;
    $('session').hidden = false;
    document.body.dataset.session = 'operator';
    refreshAll().catch(handleFatal);
    startTimer();
  }

  function logout() {
    stopTimer();
    sessionStorage.removeItem(KEY_STORAGE);
    $('console').hidden = true;
    $('session').hidden = true;
    $('login').hidden = false;
    $('login-error').hidden = true;
    $('operator-key').value = '';
    delete document.body.dataset.session;
    $('operator-key').focus();
  }

  async function login(event) {
    event.preventDefault();
    const key = $('operator-key').value.trim();
    const box = $('login-error');
    box.hidden = true;
    if (!key) return;
    $('login-submit').disabled = true;
    sessionStorage.setItem(KEY_STORAGE, key);
    try {
      // An operator-only gateway API: a wrong key is refused here rather than in every panel.
      await api('/api/v1/admin/agencies?limit=1');
    } catch (error) {
      if (error.status === 401 || error.status === 403) {
        sessionStorage.removeItem(KEY_STORAGE);
        clear(box).appendChild(problemView(error, error.status === 401 ? 'Key refused' : 'Not an operator key'));
        box.hidden = false;
        $('login-submit').disabled = false;
        return;
      }
      // Anything else (gateway busy, admin API failing) is left to the panels to report.
    }
    $('login-submit').disabled = false;
    $('operator-key').value = '';
    showConsole();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('refresh-now').addEventListener('click', () => refreshAll().catch(handleFatal));
    $('auto-refresh').addEventListener('change', startTimer);
    $('verify-now').addEventListener('click', () => refreshAudit(true).catch(handleFatal));
    $('dead-letter-filters').addEventListener('submit', (event) => {
      event.preventDefault();
      state.deadLetterPages = 1;
      refreshDeadLetters().catch(handleFatal);
    });
    $('dl-more').addEventListener('click', () => {
      state.deadLetterPages += 1;
      refreshDeadLetters().catch(handleFatal);
    });
    $('trace-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = $('trace-id').value.trim();
      if (id) startTrace(id);
    });
    $('discard-dialog').addEventListener('close', () => {
      const dialog = $('discard-dialog');
      const reason = $('discard-reason').value.trim();
      if (dialog.returnValue === 'discard' && reason) discard(dialog.dataset.id, reason);
    });
    if (sessionStorage.getItem(KEY_STORAGE)) showConsole();
    else logout();
  });
}());
