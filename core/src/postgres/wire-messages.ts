/**
 * Just enough of the PostgreSQL v3 wire protocol to serve PGlite to several connections:
 * framing a client's byte stream into messages, building the few messages the server sends on
 * a client's behalf, and reading where PGlite's answer ends (ReadyForQuery and its status).
 * PGlite itself parses and answers everything else.
 */

const SSL_REQUEST_CODE = 80877103;
const GSSENC_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;
const PROTOCOL_3 = 196608;
/** PostgreSQL refuses messages above 1 GB too; anything bigger here is a broken stream. */
const MAX_MESSAGE_LENGTH = 1 << 30;

export class WireProtocolViolation extends Error {}

export type StartupFrame =
  | { kind: 'ssl-request' }
  | { kind: 'gssenc-request' }
  | { kind: 'cancel-request' }
  | { kind: 'startup'; bytes: Buffer };

/** Transaction status of a ReadyForQuery: idle, in a transaction block, in a failed one. */
export type TransactionStatus = 'I' | 'T' | 'E';

/** Splits a connection's byte stream into whole messages, however the chunks arrive. */
export class MessageFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** The next untyped message of the startup phase (int32 length, int32 code, ...). */
  nextStartupFrame(): StartupFrame | null {
    if (this.buffer.length < 8) return null;
    const length = this.buffer.readInt32BE(0);
    if (length < 8 || length > 10_000)
      throw new WireProtocolViolation(`invalid startup packet length ${length}`);
    if (this.buffer.length < length) return null;
    const bytes = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    const code = bytes.readInt32BE(4);
    if (code === SSL_REQUEST_CODE) return { kind: 'ssl-request' };
    if (code === GSSENC_REQUEST_CODE) return { kind: 'gssenc-request' };
    if (code === CANCEL_REQUEST_CODE) return { kind: 'cancel-request' };
    if (code !== PROTOCOL_3) throw new WireProtocolViolation(`unsupported frontend protocol ${code}`);
    return { kind: 'startup', bytes };
  }

  /** The next typed message (type byte, int32 length including itself, body). */
  nextMessage(): Buffer | null {
    if (this.buffer.length < 5) return null;
    const length = this.buffer.readInt32BE(1);
    if (length < 4 || length > MAX_MESSAGE_LENGTH) {
      throw new WireProtocolViolation(`invalid message length ${length}`);
    }
    if (this.buffer.length < length + 1) return null;
    const message = this.buffer.subarray(0, length + 1);
    this.buffer = this.buffer.subarray(length + 1);
    return message;
  }
}

export const MessageType = {
  parse: 0x50, // P
  bind: 0x42, // B
  describe: 0x44, // D
  close: 0x43, // C
  execute: 0x45, // E
  errorResponse: 0x45, // E (backend)
  sync: 0x53, // S
  query: 0x51, // Q
  functionCall: 0x46, // F
  copyDone: 0x63, // c
  copyFail: 0x66, // f
  terminate: 0x58, // X
  readyForQuery: 0x5a, // Z
  copyInResponse: 0x47, // G
} as const;

/** Messages after which PostgreSQL answers ReadyForQuery (when nothing else is pending). */
export function endsCycle(type: number): boolean {
  return (
    type === MessageType.sync ||
    type === MessageType.query ||
    type === MessageType.functionCall ||
    type === MessageType.copyDone ||
    type === MessageType.copyFail
  );
}

/** The last backend message of an answer: its type and, for ReadyForQuery, the status. */
export function lastBackendMessage(
  output: Uint8Array,
): { type: number; status: TransactionStatus | null } | null {
  let offset = 0;
  let last: { type: number; status: TransactionStatus | null } | null = null;
  const view = new DataView(output.buffer, output.byteOffset, output.byteLength);
  while (offset + 5 <= output.length) {
    const type = output[offset]!;
    const length = view.getInt32(offset + 1);
    const status =
      type === MessageType.readyForQuery
        ? (String.fromCharCode(output[offset + 5]!) as TransactionStatus)
        : null;
    last = { type, status };
    offset += 1 + length;
  }
  return last;
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

function message(type: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head[0] = type;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const NO_PARAMETERS = Buffer.from([0, 0]);

export const build = {
  sync: () => message(MessageType.sync),
  query: (sql: string) => message(MessageType.query, cstring(sql)),
  copyFail: (reason: string) => message(MessageType.copyFail, cstring(reason)),
  closeStatement: (name: string) => message(MessageType.close, Buffer.from('S'), cstring(name)),
  /** Parse + Bind + Execute of one parameterless statement on the unnamed statement and portal. */
  extendedStatement: (sql: string) =>
    Buffer.concat([
      message(MessageType.parse, cstring(''), cstring(sql), NO_PARAMETERS),
      // portal '', statement '', no parameter formats, no parameters, no result formats
      message(MessageType.bind, cstring(''), cstring(''), NO_PARAMETERS, NO_PARAMETERS, NO_PARAMETERS),
      message(MessageType.execute, cstring(''), Buffer.alloc(4)),
    ]),
  fatalError: (code: string, text: string) =>
    message(
      MessageType.errorResponse,
      Buffer.from('S'),
      cstring('FATAL'),
      Buffer.from('V'),
      cstring('FATAL'),
      Buffer.from('C'),
      cstring(code),
      Buffer.from('M'),
      cstring(text),
      Buffer.from([0]),
    ),
};

/**
 * All connections share PGlite's one session, so named prepared statements of two clients
 * would collide ("prepared statement "s1" already exists"), and a closed connection's would
 * linger. Each connection's statement names therefore get a prefix of its own; unnamed
 * statements and portals (portals live only inside the cycle or transaction the connection
 * owns) pass unchanged. Returns the message to forward.
 */
export function scopeStatementName(msg: Buffer, prefix: string, statements: Set<string>): Buffer {
  const type = msg[0];
  if (type === MessageType.parse) {
    const end = msg.indexOf(0, 5);
    if (end === 5) return msg;
    const name = `${prefix}${msg.toString('utf8', 5, end)}`;
    statements.add(name);
    return message(MessageType.parse, cstring(name), msg.subarray(end + 1));
  }
  if (type === MessageType.bind) {
    const portalEnd = msg.indexOf(0, 5);
    const statementEnd = msg.indexOf(0, portalEnd + 1);
    if (statementEnd === portalEnd + 1) return msg;
    const name = `${prefix}${msg.toString('utf8', portalEnd + 1, statementEnd)}`;
    return message(
      MessageType.bind,
      msg.subarray(5, portalEnd + 1),
      cstring(name),
      msg.subarray(statementEnd + 1),
    );
  }
  if ((type === MessageType.describe || type === MessageType.close) && msg[5] === 0x53 /* S */) {
    const end = msg.indexOf(0, 6);
    if (end === 6) return msg;
    const name = `${prefix}${msg.toString('utf8', 6, end)}`;
    if (type === MessageType.close) statements.delete(name);
    return message(type, Buffer.from('S'), cstring(name), msg.subarray(end + 1));
  }
  return msg;
}
