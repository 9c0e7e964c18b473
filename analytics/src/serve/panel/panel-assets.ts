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
  .filters button { font: inherit; margin: 0 4px 6px 0; padding: 2px 8px; border: 1px solid #d1d5db; border-radius: 12px; background: #fff; cursor: pointer; }
  .filters button[aria-pressed="true"] { background: #1f2937; color: #fff; border-color: #1f2937; }
  .attachment { display: flex; gap: 10px; border: 1px solid #e5e7eb; border-radius: 6px; padding: 6px 8px; margin-bottom: 8px; }
  .attachment .preview { flex: 0 0 160px; }
  .attachment .preview img { max-width: 160px; max-height: 160px; border-radius: 4px; display: block; }
  .attachment .preview video { max-width: 160px; display: block; }
  .attachment .preview audio { width: 160px; }
  .attachment .read { flex: 1; white-space: pre-wrap; overflow-wrap: anywhere; }
  .attachment .read .text { max-height: 12em; overflow: auto; }
</style>
</head>
<body>
<h1>Switchboard insight</h1>
<div id="status" class="muted">Waiting for the conversation from Chatwoot…</div>
<div id="content" hidden>
  <table id="summary"></table>
  <h2>Handoff</h2><div id="handoffs"></div>
  <h2>AI turns</h2><div id="turns"></div>
  <h2>Attachments</h2><div id="gallery-filters" class="filters"></div><div id="gallery"></div>
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

  // The attachments gallery: bytes are fetched with the token in a header (never in a media
  // URL a log could keep) and shown from blob: URLs; every text goes in through textContent.
  var KINDS = [['', 'All'], ['image', 'Images'], ['audio', 'Audio'], ['video', 'Video'], ['document', 'Documents'], ['location', 'Locations']];
  var galleryFilter = '';
  var blobUrls = [];

  function authorised(path) {
    return fetch('api/' + path, { headers: { Authorization: 'Bearer ' + token } });
  }
  function size(bytes) {
    if (bytes === null || bytes === undefined) return '';
    return bytes < 1024 ? bytes + ' B' : bytes < 1048576 ? (bytes / 1024).toFixed(0) + ' KB' : (bytes / 1048576).toFixed(1) + ' MB';
  }
  function attachMedia(container, path, tag) {
    authorised(path)
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.blob(); })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        blobUrls.push(url);
        var media = document.createElement(tag);
        media.src = url;
        if (tag === 'img') media.alt = 'image sent by the customer';
        else media.controls = true;
        container.textContent = '';
        container.appendChild(media);
      })
      .catch(function () { container.textContent = 'Media unavailable'; container.className = 'preview error'; });
  }
  function openDocument(a) {
    authorised(a.mediaPath)
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.blob(); })
      .then(function (blob) {
        var link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = a.fileName || 'attachment';
        link.click();
      })
      .catch(function () { statusEl.textContent = 'The document could not be downloaded.'; });
  }
  function renderFilters() {
    var filters = clear('gallery-filters');
    KINDS.forEach(function (k) {
      var b = el('button', k[1]);
      b.type = 'button';
      b.setAttribute('data-kind', k[0]);
      b.setAttribute('aria-pressed', String(k[0] === galleryFilter));
      b.addEventListener('click', function () { galleryFilter = k[0]; loadGallery(current); });
      filters.appendChild(b);
    });
  }
  function renderGallery(list) {
    blobUrls.forEach(function (u) { URL.revokeObjectURL(u); });
    blobUrls = [];
    renderFilters();
    var gallery = clear('gallery');
    if (list.length === 0) gallery.appendChild(el('div', galleryFilter ? 'No attachments of this type.' : 'No attachments.', 'muted'));
    list.forEach(function (a) {
      var box = el('div', null, 'attachment');
      box.setAttribute('data-kind', a.kind);
      var preview = el('div', null, 'preview');
      if (a.kind === 'image' && a.mediaPath) { preview.textContent = 'Loading…'; attachMedia(preview, a.thumbnailPath || a.mediaPath, 'img'); }
      else if ((a.kind === 'audio' || a.kind === 'video') && a.mediaPath) { preview.textContent = 'Loading…'; attachMedia(preview, a.mediaPath, a.kind); }
      else if (a.kind === 'document' && a.mediaPath) {
        var button = el('button', 'Download ' + (a.fileName || 'document'));
        button.type = 'button';
        button.addEventListener('click', function () { openDocument(a); });
        preview.appendChild(button);
      } else if (a.location) preview.textContent = a.location.latitude.toFixed(5) + ', ' + a.location.longitude.toFixed(5);
      else preview.textContent = a.fileType;
      box.appendChild(preview);
      var read = el('div', null, 'read');
      read.appendChild(el('div', [a.kind, a.fileName, size(a.sizeBytes), String(a.at).replace('T', ' ').slice(0, 16) + ' UTC'].filter(Boolean).join(' · '), 'muted'));
      if (a.reading) {
        read.appendChild(el('div', (a.reading.kind === 'transcription' ? 'Transcript' : a.reading.method === 'pdf_text' ? 'Extracted text' : a.reading.method === 'ocr' ? 'Text read (OCR)' : 'Description') +
          ' — ' + a.reading.model + ' · ' + usd(a.reading.costUsd), 'muted'));
        read.appendChild(el('div', a.reading.text || (a.reading.outcome === 'ok' ? '(nothing read)' : 'Not read: ' + (a.reading.error || a.reading.outcome)), a.reading.outcome === 'ok' ? 'text' : 'text error'));
      } else if (a.kind !== 'location') read.appendChild(el('div', 'Not read by the assistant.', 'muted'));
      box.appendChild(read);
      gallery.appendChild(box);
    });
  }
  function loadGallery(conversationId) {
    var query = galleryFilter ? '?type=' + encodeURIComponent(galleryFilter) : '';
    authorised('conversations/' + encodeURIComponent(conversationId) + '/attachments' + query)
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (data) { if (data.conversationId === current) renderGallery(data.attachments); })
      .catch(function () { clear('gallery').appendChild(el('div', 'Could not load the attachments.', 'error')); });
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
      .then(function (data) { if (data.conversationId === current) { render(data); if (data.found) loadGallery(conversationId); } })
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
