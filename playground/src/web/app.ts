/**
 * The playground page: a WhatsApp-like customer pane, the Chatwoot view of the same
 * conversation, and the turn details, all from /playground/api (polled: the page is a local
 * tool, and polling keeps the server side stateless).
 */
import type { PlaygroundMessage, PlaygroundState, PlaygroundTurn } from '../playground-types.js';

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
    const key = JSON.stringify(next);
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
  if (select.options.length !== s.assistants.length) {
    select.replaceChildren(
      ...s.assistants.map((a) => new Option(`${a.name} (${a.model})`, a.key, false, a.key === s.assistant)),
    );
  }
  select.value = s.assistant;
  $('business-name').textContent = s.businessName;
  $('customer-phone').textContent = s.customer.phone;
  $('clock').textContent = new Date(s.clock).toLocaleString();

  const conversation = s.conversation;
  $('cw-id').textContent = conversation ? `#${conversation.displayId}` : '(none yet)';
  const status = $('cw-status');
  status.textContent = conversation?.status ?? '-';
  status.className = `status ${conversation?.status ?? ''}`;
  $('cw-assignee').textContent = conversation?.assignee ?? 'none';
  renderAttributes(s);
  renderCustomerChat(s.messages);
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

function renderCustomerChat(messages: PlaygroundMessage[]): void {
  const list = $('wa-chat');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.replaceChildren(
    ...messages
      .filter((m) => !m.private && m.kind !== 'activity')
      .map((m) => {
        const li = document.createElement('li');
        li.className = `bubble ${m.kind === 'incoming' ? 'out' : 'in'}${m.status === 'failed' ? ' failed' : ''}`;
        li.dataset.testid = m.kind === 'incoming' ? 'customer-bubble' : 'business-bubble';
        for (const attachment of m.attachments) li.append(renderAttachment(attachment));
        if (m.text) li.append(...renderWhatsAppText(m.text));
        if (m.choices.length > 0) {
          const choices = document.createElement('div');
          choices.className = 'choices';
          for (const title of m.choices) {
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = title;
            button.dataset.testid = 'choice';
            button.onclick = () =>
              void post('/customer/messages', { text: title, buttonReply: true }).then(refresh);
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
        if (m.kind === 'incoming') {
          const ticks = document.createElement('span');
          ticks.className = `ticks ${m.status === 'read' ? 'read' : ''}`;
          ticks.textContent = m.status === 'sent' ? ' ✓' : ' ✓✓';
          meta.append(ticks);
        }
        li.append(meta);
        return li;
      }),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
}

/**
 * WhatsApp's own formatting as the phone shows it: *bold*, _italic_, ~strike~, ```monospace```.
 * Built as DOM nodes, never innerHTML, so message text cannot inject markup.
 */
function renderWhatsAppText(text: string): Node[] {
  const pattern = /```([\s\S]+?)```|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    const [, mono, bold, italic, strike] = match;
    const tag =
      mono !== undefined ? 'code' : bold !== undefined ? 'strong' : italic !== undefined ? 'em' : 's';
    const element = document.createElement(tag);
    element.textContent = mono ?? bold ?? italic ?? strike ?? '';
    nodes.push(element);
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function renderAttachment(attachment: PlaygroundMessage['attachments'][number]): HTMLElement {
  if (attachment.fileType === 'image' && attachment.url) {
    const img = document.createElement('img');
    img.src = attachment.url;
    img.alt = 'image';
    return img;
  }
  if (attachment.fileType === 'audio' && attachment.url) {
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.src = attachment.url;
    return audio;
  }
  const div = document.createElement('div');
  div.textContent = `📄 ${attachment.fileType}`;
  return div;
}

function renderAgentMessages(messages: PlaygroundMessage[]): void {
  const list = $('cw-messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.replaceChildren(
    ...messages.map((m) => {
      const li = document.createElement('li');
      li.className = `cw-msg ${m.kind}${m.private ? ' private' : ''}`;
      li.dataset.testid = m.private ? 'private-note' : m.template ? 'agent-template' : `agent-${m.kind}`;
      if (m.kind !== 'activity') {
        const who = document.createElement('div');
        who.className = 'who';
        who.textContent = `${m.sender}${m.private ? ' · private note' : ''}${m.template ? ` · template ${m.template}` : ''}${m.status ? ` · ${m.status}` : ''}`;
        li.append(who);
      }
      for (const attachment of m.attachments) li.append(renderAttachment(attachment));
      li.append(document.createTextNode(m.text + (m.choices.length ? `\n[${m.choices.join(' | ')}]` : '')));
      return li;
    }),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderTurns(turns: PlaygroundTurn[], s: PlaygroundState): void {
  const items = turns.map((turn) => {
    const li = document.createElement('li');
    li.className = 'turn';
    li.dataset.testid = 'turn';
    const head = document.createElement('div');
    head.className = 'head';
    head.textContent = `${turn.outcome} · ${turn.latencyMs === null ? '-' : `${turn.latencyMs} ms`} · $${turn.costUsd}`;
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
        row('model', `${call.provider}/${call.name} · ${call.outcome} · ${call.latencyMs ?? '-'} ms`);
        row('tokens', `in ${call.inputTokens} · out ${call.outputTokens} · $${call.costUsd}`);
      } else if (call.kind === 'tool_call') {
        row(
          'tool',
          `${call.name} · ${call.outcome} · ${call.latencyMs ?? '-'} ms${call.detail ? ` · ${call.detail}` : ''}`,
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
  $('new-customer').addEventListener(
    'click',
    () => void post('/customer/new', { assistant: $<HTMLSelectElement>('assistant').value }).then(refresh),
  );
  $<HTMLSelectElement>('assistant').addEventListener(
    'change',
    (event) =>
      void post('/customer/new', { assistant: (event.target as HTMLSelectElement).value }).then(refresh),
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
