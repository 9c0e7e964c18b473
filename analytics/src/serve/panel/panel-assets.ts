/**
 * The insight panel: a static page Chatwoot shows as a Dashboard App (contract §6). Chatwoot
 * posts `{event:"appContext", data:{conversation,…}}` as a JSON string; the page asks for it
 * with 'chatwoot-dashboard-app:fetch-info', then reads the conversation's insight from this
 * service with the token from its own URL (the Dashboard App URL configured in Chatwoot is
 * `https://<analytics>/panel?token=<the account's analytics token>`). Data is rendered with
 * textContent only: message text and tool details never become markup.
 */
export const PANEL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard insight</title>
<style>
  body { font: 13px/1.4 system-ui, sans-serif; margin: 12px; color: #1f2937; }
  h1 { font-size: 15px; margin: 0 0 8px; }
  h2 { font-size: 13px; margin: 14px 0 6px; text-transform: uppercase; color: #6b7280; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  .muted { color: #6b7280; }
  .turn { border: 1px solid #e5e7eb; border-radius: 6px; padding: 6px 8px; margin-bottom: 8px; }
  .error { color: #b91c1c; }
</style>
</head>
<body>
<h1>Switchboard insight</h1>
<div id="status" class="muted">Waiting for the conversation from Chatwoot…</div>
<div id="content" hidden>
  <table id="summary"></table>
  <h2>Handoff</h2><div id="handoffs"></div>
  <h2>AI turns</h2><div id="turns"></div>
  <h2>Transcripts and images</h2><div id="media"></div>
  <h2>Other calls</h2><div id="unattached"></div>
</div>
<script src="panel.js"></script>
</body>
</html>
`;

export const PANEL_JS = `'use strict';
(function () {
  var token = new URLSearchParams(location.search).get('token') || '';
  var statusEl = document.getElementById('status');
  var current = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(table, label, value) {
    var tr = el('tr');
    tr.appendChild(el('th', label));
    var td = el('td', value);
    td.setAttribute('data-field', label);
    tr.appendChild(td);
    table.appendChild(tr);
  }
  function ms(v) { return v === null || v === undefined ? '—' : (v / 1000).toFixed(1) + ' s'; }
  function usd(v) { return '$' + v; }
  function clear(id) { var e = document.getElementById(id); e.textContent = ''; return e; }

  function render(data) {
    statusEl.textContent = data.found ? '' : 'No analytics recorded for this conversation yet.';
    document.getElementById('content').hidden = !data.found;
    if (!data.found) return;
    var summary = clear('summary');
    row(summary, 'Assistant', data.assistant || '—');
    row(summary, 'Channel', data.channel || '—');
    row(summary, 'Status', data.status || '—');
    row(summary, 'Total cost', usd(data.totalCostUsd));
    Object.keys(data.costByKind).forEach(function (k) {
      if (data.costByKind[k] !== '0') row(summary, 'Cost: ' + k, usd(data.costByKind[k]));
    });
    row(summary, 'Tokens', data.tokens.input + ' in / ' + data.tokens.output + ' out');
    row(summary, 'Messages', data.messages.customer + ' customer, ' + data.messages.ai + ' AI, ' + data.messages.humanAgent + ' human');

    var handoffs = clear('handoffs');
    if (data.handoffs.length === 0) handoffs.appendChild(el('div', 'No handoff.', 'muted'));
    data.handoffs.forEach(function (h) {
      handoffs.appendChild(el('div', h.at + ' — ' + h.reason + (h.detail ? ': ' + h.detail : ''), 'handoff'));
    });

    var turns = clear('turns');
    if (data.turns.length === 0) turns.appendChild(el('div', 'No AI turns.', 'muted'));
    data.turns.forEach(function (t, i) {
      var box = el('div', null, 'turn');
      box.appendChild(el('div', 'Turn ' + (i + 1) + ' · ' + t.outcome + ' · latency ' + ms(t.latencyMs) +
        ' · ' + t.mergedMessages + ' message(s)' + (t.regenerations ? ' · ' + t.regenerations + ' regeneration(s)' : '') +
        ' · ' + usd(t.costUsd)));
      box.appendChild(callsTable(t.calls));
      turns.appendChild(box);
    });

    var media = clear('media');
    if (data.media.length === 0) media.appendChild(el('div', 'None.', 'muted'));
    data.media.forEach(function (m) {
      var d = el('div', null, 'media');
      d.appendChild(el('div', m.kind + ' (' + m.method + ', ' + m.model + ', ' + ms(m.latencyMs) + ', ' + usd(m.costUsd) + ')', 'muted'));
      d.appendChild(el('div', m.text || '(no text)', m.outcome === 'ok' ? '' : 'error'));
      media.appendChild(d);
    });

    var other = clear('unattached');
    if (data.unattached.length === 0) other.appendChild(el('div', 'None.', 'muted'));
    else other.appendChild(callsTable(data.unattached));
  }

  function callsTable(calls) {
    var table = el('table', null, 'calls');
    calls.forEach(function (c) {
      var tr = el('tr');
      tr.appendChild(el('td', c.kind === 'model_call' ? 'model' : c.kind === 'tool_call' ? 'tool' : 'search'));
      tr.appendChild(el('td', c.name + (c.provider ? ' (' + c.provider + ')' : '')));
      tr.appendChild(el('td', ms(c.latencyMs)));
      tr.appendChild(el('td', c.kind === 'model_call' ? c.inputTokens + ' in / ' + c.outputTokens + ' out' : c.detail, c.outcome === 'ok' || c.outcome === 'hit' ? '' : 'error'));
      tr.appendChild(el('td', c.kind === 'model_call' ? usd(c.costUsd) : c.outcome));
      table.appendChild(tr);
    });
    return table;
  }

  function load(conversationId) {
    current = conversationId;
    statusEl.textContent = 'Loading…';
    fetch('api/conversations/' + encodeURIComponent(conversationId) + '/insight', {
      headers: { Authorization: 'Bearer ' + token },
    })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) throw new Error('This panel is not authorised (check the token in its URL).');
        if (!r.ok) throw new Error('Could not load the analytics (' + r.status + ').');
        return r.json();
      })
      .then(function (data) { if (data.conversationId === current) render(data); })
      .catch(function (e) {
        statusEl.textContent = e.message;
        statusEl.className = 'error';
        document.getElementById('content').hidden = true;
      });
  }

  window.addEventListener('message', function (event) {
    if (typeof event.data !== 'string') return;
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (!message || message.event !== 'appContext' || !message.data || !message.data.conversation) return;
    var id = Number(message.data.conversation.id);
    if (Number.isInteger(id) && id > 0 && id !== current) load(id);
  });
  if (window.parent && window.parent !== window) window.parent.postMessage('chatwoot-dashboard-app:fetch-info', '*');
})();
`;
