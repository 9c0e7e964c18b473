/**
 * The playground page: a WhatsApp-like customer pane, the Chatwoot view of the same
 * conversation, and the turn details, all from /playground/api (polled: the page is a local
 * tool, and polling keeps the server side stateless).
 */
import type { PlaygroundMessage, PlaygroundState, PlaygroundTurn } from '../playground-types.js';
import { formatDuration } from './format.js';
import { renderWhatsAppText, renderWidgetMarkdown } from './render-text.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let state: PlaygroundState | null = null;
let renderedKey = '';

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`/playground/api${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function post<T>(path: string, body: unknown): Promise<T> {
  return api<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function refresh(): Promise<void> {
  try {
    const next = await api<PlaygroundState>('/state');
    // The clock moves on every poll: render it alone, and everything else only when it changed.
    $('clock').textContent = new Date(next.clock).toLocaleString();
    const key = JSON.stringify({ ...next, clock: null });
    if (key === renderedKey) return;
    renderedKey = key;
    state = next;
    render(next);
  } catch (error) {
    console.error(error);
  }
}

function render(s: PlaygroundState): void {
  const select = $<HTMLSelectElement>('assistant');
  const wanted = s.inboxes.map((inbox) => `${inbox.id}:${inbox.label}`).join('|');
  if (select.dataset.options !== wanted) {
    select.dataset.options = wanted;
    select.replaceChildren(
      ...s.inboxes.map((inbox) => {
        const model = s.assistants.find((a) => a.key === inbox.assistant)?.model ?? '?';
        return new Option(`${inbox.label} (${model})`, String(inbox.id), false, inbox.id === s.inboxId);
      }),
    );
  }
  select.value = String(s.inboxId);
  const web = s.channel === 'web';
  $('customer-pane').classList.toggle('web', web);
  $('business-name').textContent = web ? `${s.businessName} · website chat` : s.businessName;
  $('customer-phone').textContent = web ? `${s.customer.name} <${s.customer.email}>` : s.customer.phone;
  $('clock').textContent = new Date(s.clock).toLocaleString();

  const conversation = s.conversation;
  $('cw-id').textContent = conversation ? `#${conversation.displayId}` : '(none yet)';
  const status = $('cw-status');
  status.textContent = conversation?.status ?? '-';
  status.className = `status ${conversation?.status ?? ''}`;
  $('cw-assignee').textContent = conversation?.assignee ?? 'none';
  renderAttributes(s);
  renderCustomerChat(s.messages, web);
  renderAgentMessages(s.messages);
  renderTurns(s.turns, s);
}

function renderAttributes(s: PlaygroundState): void {
  const box = $('cw-attrs');
  box.replaceChildren();
  const conversation = s.conversation;
  if (!conversation) return;
  for (const label of conversation.labels) {
    const span = document.createElement('span');
    span.className = 'label';
    span.textContent = label;
    box.append(span);
  }
  const attributes = { ...s.customer.attributes, ...conversation.attributes };
  const text = Object.entries(attributes)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
  box.append(document.createTextNode(text));
}

/**
 * Replace a list's children by keyed elements, reusing the element of every key already shown: a
 * poll that changed nothing in a message leaves its element (and its <audio>) alone.
 */
function syncList(list: HTMLElement, entries: Array<{ key: string; build: () => HTMLElement }>): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(list.children) as HTMLElement[])
    existing.set(child.dataset.key ?? '', child);
  const same =
    entries.length === list.children.length &&
    entries.every((entry, index) => (list.children[index] as HTMLElement).dataset.key === entry.key);
  if (same) return;
  list.replaceChildren(
    ...entries.map((entry) => {
      const element = existing.get(entry.key) ?? entry.build();
      element.dataset.key = entry.key;
      return element;
    }),
  );
}

function renderCustomerChat(messages: PlaygroundMessage[], web: boolean): void {
  const list = $('wa-chat');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  const shown = messages.filter((m) => !m.private && m.kind !== 'activity');
  syncList(
    list,
    shown.map((m) => ({
      key: `${web ? 'web' : 'wa'}:${JSON.stringify(m)}`,
      build: () => customerBubble(m, web),
    })),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function customerBubble(m: PlaygroundMessage, web: boolean): HTMLElement {
  const li = document.createElement('li');
  li.className = `bubble ${m.kind === 'incoming' ? 'out' : 'in'}${m.status === 'failed' ? ' failed' : ''}`;
  li.dataset.testid = m.kind === 'incoming' ? 'customer-bubble' : 'business-bubble';
  for (const attachment of m.attachments) li.append(renderAttachment('customer', attachment));
  if (m.text) li.append(...(web ? renderWidgetMarkdown(m.text) : renderWhatsAppText(m.text)));
  if (m.choices.length > 0) {
    const choices = document.createElement('div');
    choices.className = 'choices';
    for (const choice of m.choices) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = choice.title;
      button.dataset.testid = 'choice';
      if (web && m.selected !== null) {
        // The widget keeps the picked option marked and the others disabled.
        button.disabled = true;
        if (choice.value === m.selected) button.classList.add('selected');
      }
      button.onclick = () =>
        void post(
          '/customer/messages',
          web
            ? { text: choice.value, buttonReply: true, messageId: m.id }
            : { text: choice.title, buttonReply: true },
        ).then(refresh);
      choices.append(button);
    }
    li.append(choices);
  }
  const meta = document.createElement('div');
  meta.className = 'meta';
  const time = new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  meta.textContent = time;
  if (m.kind === 'outgoing' && m.status === 'failed')
    meta.textContent += ` · not delivered (${m.error ?? 'failed'})`;
  if (m.kind === 'incoming' && !web) {
    const ticks = document.createElement('span');
    ticks.className = `ticks ${m.status === 'read' ? 'read' : ''}`;
    ticks.textContent = m.status === 'sent' ? ' ✓' : ' ✓✓';
    meta.append(ticks);
  }
  li.append(meta);
  return li;
}

/**
 * Media elements by pane and attachment id, made once: re-creating an <audio> on every poll made
 * the browser fetch the voice note again about every half second.
 */
const mediaElements = new Map<string, HTMLElement>();

function renderAttachment(
  pane: 'customer' | 'agent',
  attachment: PlaygroundMessage['attachments'][number],
): HTMLElement {
  const key = `${pane}:${attachment.id}:${attachment.url ?? ''}`;
  const cached = mediaElements.get(key);
  if (cached) return cached;
  let element: HTMLElement;
  if (attachment.fileType === 'image' && attachment.url) {
    const img = document.createElement('img');
    img.src = attachment.url;
    img.alt = 'image';
    element = img;
  } else if (attachment.fileType === 'audio' && attachment.url) {
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.preload = 'metadata';
    audio.src = attachment.url;
    audio.dataset.testid = 'audio';
    element = audio;
  } else {
    const div = document.createElement('div');
    div.textContent = `📄 ${attachment.fileType}`;
    element = div;
  }
  mediaElements.set(key, element);
  return element;
}

function renderAgentMessages(messages: PlaygroundMessage[]): void {
  const list = $('cw-messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  syncList(
    list,
    messages.map((m) => ({ key: JSON.stringify(m), build: () => agentMessage(m) })),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function agentMessage(m: PlaygroundMessage): HTMLElement {
  const li = document.createElement('li');
  li.className = `cw-msg ${m.kind}${m.private ? ' private' : ''}`;
  li.dataset.testid = m.private ? 'private-note' : m.template ? 'agent-template' : `agent-${m.kind}`;
  if (m.kind !== 'activity') {
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = `${m.sender}${m.private ? ' · private note' : ''}${m.template ? ` · template ${m.template}` : ''}${m.status ? ` · ${m.status}` : ''}`;
    li.append(who);
  }
  for (const attachment of m.attachments) li.append(renderAttachment('agent', attachment));
  const choices = m.choices
    .map((choice) => (choice.value === m.selected ? `✔ ${choice.title}` : choice.title))
    .join(' | ');
  li.append(document.createTextNode(m.text + (m.choices.length ? `\n[${choices}]` : '')));
  return li;
}

function renderTurns(turns: PlaygroundTurn[], s: PlaygroundState): void {
  const items = turns.map((turn) => {
    const li = document.createElement('li');
    li.className = 'turn';
    li.dataset.testid = 'turn';
    const head = document.createElement('div');
    head.className = 'head';
    head.textContent = `${turn.outcome} · ${formatDuration(turn.latencyMs)} · $${turn.costUsd}`;
    li.append(head);
    const dl = document.createElement('dl');
    const row = (term: string, value: string) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dl.append(dt, dd);
    };
    row(
      'messages',
      `${turn.mergedMessages} merged${turn.regenerations ? `, ${turn.regenerations} regenerated` : ''}`,
    );
    for (const call of turn.calls) {
      if (call.kind === 'model_call') {
        row('model', `${call.provider}/${call.name} · ${call.outcome} · ${formatDuration(call.latencyMs)}`);
        row('tokens', `in ${call.inputTokens} · out ${call.outputTokens} · $${call.costUsd}`);
      } else if (call.kind === 'tool_call') {
        row(
          'tool',
          `${call.name} · ${call.outcome} · ${formatDuration(call.latencyMs)}${call.detail ? ` · ${call.detail}` : ''}`,
        );
      } else {
        row('knowledge', call.detail || call.name);
      }
    }
    li.append(dl);
    return li;
  });
  for (const handoff of s.handoffs) {
    const li = document.createElement('li');
    li.className = 'turn';
    li.dataset.testid = 'handoff';
    li.textContent = `Handoff: ${handoff.reason}${handoff.detail ? ` (${handoff.detail})` : ''}`;
    items.push(li);
  }
  const total = document.createElement('li');
  total.className = 'turn';
  total.textContent = `Conversation cost: $${s.totalCostUsd}`;
  items.push(total);
  if (s.analytics) {
    const filed = document.createElement('li');
    filed.className = 'turn';
    filed.dataset.testid = 'analytics';
    const phone = s.analytics.customerPhoneEnding ? ` · phone …${s.analytics.customerPhoneEnding}` : '';
    filed.textContent = `Analytics: channel ${s.analytics.channel} · customer #${s.analytics.customerId}${phone} · ${s.analytics.customerMessages} customer message(s)`;
    items.push(filed);
  }
  $('turns').replaceChildren(...items);
}

async function sendFile(file: Blob, name: string): Promise<void> {
  const form = new FormData();
  form.append('file', file, name);
  const text = $<HTMLInputElement>('wa-text').value;
  if (text) form.append('caption', text);
  $<HTMLInputElement>('wa-text').value = '';
  const response = await fetch('/playground/api/customer/attachments', { method: 'POST', body: form });
  if (!response.ok) alert(await response.text());
  await refresh();
}

function wireEvents(): void {
  $('wa-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('wa-text');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    void post('/customer/messages', { text }).then(refresh);
  });
  $<HTMLInputElement>('wa-file').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void sendFile(file, file.name);
    (event.target as HTMLInputElement).value = '';
  });
  $('cw-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('cw-text');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    void post('/agent/messages', { text, private: $<HTMLInputElement>('cw-private').checked }).then(refresh);
  });
  $('cw-to-bot').addEventListener(
    'click',
    () => void post('/agent/status', { status: 'pending' }).then(refresh),
  );
  $('cw-resolve').addEventListener(
    'click',
    () => void post('/agent/status', { status: 'resolved' }).then(refresh),
  );
  $('jump').addEventListener('click', () => void post('/clock/advance', { hours: 24 }).then(refresh));
  const inboxId = () => Number($<HTMLSelectElement>('assistant').value);
  $('new-customer').addEventListener(
    'click',
    () => void post('/customer/new', { inboxId: inboxId() }).then(refresh),
  );
  $<HTMLSelectElement>('assistant').addEventListener(
    'change',
    () => void post('/customer/new', { inboxId: inboxId() }).then(refresh),
  );
  wireRecorder();
}

/** Voice notes recorded in the browser, sent as a file like WhatsApp's OGG/Opus notes. */
function wireRecorder(): void {
  const button = $('wa-record');
  let recorder: MediaRecorder | null = null;
  let chunks: Blob[] = [];
  button.addEventListener('click', async () => {
    if (recorder) {
      recorder.stop();
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      alert('This browser cannot record audio here; upload an audio file with 📎 instead.');
      return;
    }
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const mimeType = MediaRecorder.isTypeSupported('audio/ogg;codecs=opus')
      ? 'audio/ogg;codecs=opus'
      : 'audio/webm;codecs=opus';
    recorder = new MediaRecorder(stream, { mimeType });
    chunks = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      button.classList.remove('recording');
      const blob = new Blob(chunks, { type: mimeType.split(';')[0] });
      recorder = null;
      void sendFile(blob, mimeType.includes('ogg') ? 'voice-note.ogg' : 'voice-note.webm');
    };
    recorder.start();
    button.classList.add('recording');
  });
}

wireEvents();
void refresh();
setInterval(() => void refresh(), 700);
// Keeps TypeScript from flagging `state` as unused: it is the last rendered state, for debugging.
Object.defineProperty(window, 'playgroundState', { get: () => state });
