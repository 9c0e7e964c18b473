import fs from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * The Switchboard config YAML, edited in place (comments and layout kept): the command writes the
 * Chatwoot ids here and `${VAR}` references for the secrets, whose values go to `.env`.
 */

/** Where each secret of an account lives in the YAML, and its default variable. */
export const SECRET_FIELDS = {
  botToken: { path: ['bot', 'accessToken'], variable: 'CHATWOOT_BOT_TOKEN' },
  botSecret: { path: ['bot', 'webhookSecret'], variable: 'CHATWOOT_BOT_SECRET' },
  userToken: { path: ['userAccessToken'], variable: 'CHATWOOT_USER_TOKEN' },
  accountWebhookSecret: { path: ['accountWebhookSecret'], variable: 'CHATWOOT_ACCOUNT_WEBHOOK_SECRET' },
} as const;
export type SecretName = keyof typeof SECRET_FIELDS | 'analyticsToken';
const ANALYTICS_TOKEN_VARIABLE = 'ANALYTICS_API_TOKEN';

export interface ReengagementTemplate {
  name: string;
  language: string;
  category: string;
  params: Record<string, string>;
}

export interface ConfigInbox {
  id: number;
  assistant: string;
}

export interface AccountUpdate {
  accountId: number;
  botId: number;
  /** WhatsApp inboxes to list (others already there are kept). */
  inboxes: ConfigInbox[];
}

const REFERENCE = /^\$\{([A-Z_][A-Z0-9_]*)(?::-[^}]*)?\}$/;

export class SwitchboardConfigFile {
  private constructor(
    readonly path: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
  ) {}

  static read(path: string): SwitchboardConfigFile {
    const text = fs.readFileSync(path, 'utf8');
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
    return new SwitchboardConfigFile(path, text, doc);
  }

  assistantNames(): string[] {
    const assistants = this.doc.get('assistants');
    return isMap(assistants)
      ? assistants.items.map((pair) => String((pair.key as { value: unknown }).value))
      : [];
  }

  reengagementTemplate(assistant: string): ReengagementTemplate | null {
    const raw = this.doc.getIn(['assistants', assistant, 'conversation', 'reengagementTemplate']);
    if (!isMap(raw)) return null;
    const value = raw.toJSON() as Partial<ReengagementTemplate>;
    if (typeof value.name !== 'string') return null;
    return {
      name: value.name,
      language: value.language ?? 'en',
      category: value.category ?? 'utility',
      params: value.params ?? {},
    };
  }

  private accounts(): YAMLSeq | null {
    const accounts = this.doc.getIn(['chatwoot', 'accounts']);
    return isSeq(accounts) ? accounts : null;
  }

  private account(accountId: number): YAMLMap | null {
    for (const item of this.accounts()?.items ?? []) {
      if (isMap(item) && Number(item.get('id')) === accountId) return item;
    }
    return null;
  }

  /** The inboxes the file lists for the account, with their assistants. */
  configuredInboxes(accountId: number): ConfigInbox[] {
    const inboxes = this.account(accountId)?.get('inboxes');
    if (!isSeq(inboxes)) return [];
    return inboxes.items.flatMap((item) =>
      isMap(item) ? [{ id: Number(item.get('id')), assistant: String(item.get('assistant')) }] : [],
    );
  }

  configuredBotId(accountId: number): number | null {
    const id = this.account(accountId)?.getIn(['bot', 'id']);
    return typeof id === 'number' ? id : null;
  }

  /**
   * The variable each secret of the account is read from: the file's own `${VAR}` when it has one,
   * else the default name (suffixed with the account id when another account already uses it).
   */
  secretVariables(accountId: number): Record<SecretName, string> {
    const entry = this.account(accountId);
    const usedElsewhere = new Set<string>();
    for (const item of this.accounts()?.items ?? []) {
      if (!isMap(item) || item === entry) continue;
      for (const field of Object.values(SECRET_FIELDS)) {
        const name = referenceIn(item.getIn(field.path));
        if (name) usedElsewhere.add(name);
      }
    }
    const pick = (current: unknown, fallback: string) =>
      referenceIn(current) ?? (usedElsewhere.has(fallback) ? `${fallback}_${accountId}` : fallback);
    const variables = Object.fromEntries(
      Object.entries(SECRET_FIELDS).map(([name, field]) => [
        name,
        pick(entry?.getIn(field.path), field.variable),
      ]),
    ) as Record<SecretName, string>;
    variables.analyticsToken =
      referenceIn(this.analyticsAccount(accountId)?.get('apiToken')) ??
      (accountId === this.firstAccountId()
        ? ANALYTICS_TOKEN_VARIABLE
        : `${ANALYTICS_TOKEN_VARIABLE}_${accountId}`);
    return variables;
  }

  private firstAccountId(): number | null {
    const first = this.accounts()?.items[0];
    return isMap(first) ? Number(first.get('id')) : null;
  }

  private analyticsAccount(accountId: number): YAMLMap | null {
    const accounts = this.doc.getIn(['analytics', 'accounts']);
    if (!isSeq(accounts)) return null;
    for (const item of accounts.items)
      if (isMap(item) && Number(item.get('accountId')) === accountId) return item;
    return null;
  }

  /** The file's text with the account's ids and secret references set; `text` when nothing changes. */
  render(update: AccountUpdate): string {
    const variables = this.secretVariables(update.accountId);
    const doc = this.doc.clone();
    if (!isSeq(doc.getIn(['chatwoot', 'accounts']))) doc.setIn(['chatwoot', 'accounts'], doc.createNode([]));
    const accounts = doc.getIn(['chatwoot', 'accounts']) as YAMLSeq;
    let entry = accounts.items.find(
      (item): item is YAMLMap => isMap(item) && Number(item.get('id')) === update.accountId,
    );
    if (!entry) {
      entry = doc.createNode({
        id: update.accountId,
        baseUrl: '${CHATWOOT_URL}',
        bot: {},
        inboxes: [],
      }) as YAMLMap;
      accounts.items.push(entry);
    }
    setIfDifferent(doc, entry, ['bot', 'id'], update.botId);
    for (const [name, field] of Object.entries(SECRET_FIELDS)) {
      const reference = `\${${variables[name as SecretName]}}`;
      if (referenceIn(entry.getIn(field.path)) === null) entry.setIn(field.path, reference);
    }
    if (!isSeq(entry.get('inboxes'))) entry.set('inboxes', doc.createNode([]));
    const inboxes = entry.get('inboxes') as YAMLSeq;
    for (const inbox of update.inboxes) {
      const listed = inboxes.items.some((item) => isMap(item) && Number(item.get('id')) === inbox.id);
      if (listed) continue;
      const node = doc.createNode({
        id: inbox.id,
        assistant: inbox.assistant,
        channel: 'whatsapp',
      }) as YAMLMap;
      node.flow = true;
      inboxes.items.push(node);
    }

    if (!isSeq(doc.getIn(['analytics', 'accounts'])))
      doc.setIn(['analytics', 'accounts'], doc.createNode([]));
    const analytics = doc.getIn(['analytics', 'accounts']) as YAMLSeq;
    const listed = analytics.items.some(
      (item) => isMap(item) && Number(item.get('accountId')) === update.accountId,
    );
    if (!listed) {
      analytics.items.push(
        doc.createNode({ accountId: update.accountId, apiToken: `\${${variables.analyticsToken}}` }),
      );
    }
    const text = doc.toString();
    return text === this.doc.toString() ? this.text : text;
  }
}

function referenceIn(node: unknown): string | null {
  const value = isScalar(node) ? node.value : node;
  if (typeof value !== 'string') return null;
  return REFERENCE.exec(value)?.[1] ?? null;
}

function setIfDifferent(doc: Document, map: YAMLMap, path: string[], value: unknown): void {
  if (map.getIn(path) === value) return;
  if (!isMap(map.getIn(path.slice(0, -1)))) map.setIn(path.slice(0, -1), doc.createNode({}));
  map.setIn(path, value);
}
