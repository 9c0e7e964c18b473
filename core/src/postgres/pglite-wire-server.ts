import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import {
  MessageFramer,
  MessageType,
  WireProtocolViolation,
  build,
  endsCycle,
  lastBackendMessage,
  scopeStatementName,
  type TransactionStatus,
} from './wire-messages.js';

/**
 * Serves one PGlite to many `pg` connections over the wire protocol. PGlite has a single
 * backend session, so a connection owns it for a whole protocol cycle: from its first message
 * until PGlite answers ReadyForQuery at the end of it (Sync, or a simple Query), and for as long
 * as it is inside a transaction (status 'T' or 'E'). Others wait their turn in arrival order.
 * (pglite-socket 0.2.17 took turns per *message*, so two connections' Parse/Bind/Execute
 * interleaved outside transactions.) A connection that goes away mid-cycle or mid-transaction is
 * rolled back on its behalf before the next one gets the backend.
 */
export interface PGliteWireServer {
  readonly port: number;
  /** Open connections (for tests and diagnostics). */
  connectionCount(): number;
  stop(): Promise<void>;
}

/** Where the server sends a batch of protocol messages and gets PGlite's whole answer. */
export interface PGliteSession {
  exec(messages: Uint8Array): Promise<Uint8Array>;
}

/** The session of a PGlite: batches run one at a time, PGlite's own queries (a test's) in between. */
export function sessionOn(db: PGlite): PGliteSession {
  return { exec: (messages) => db.runExclusive(() => db.execProtocolRaw(messages)) };
}

export interface PGliteWireServerOptions {
  session: PGliteSession;
  host: string;
  /** 0 picks a free port. */
  port: number;
  maxConnections: number;
}

/** First come, first served ownership of the one backend session. */
class BackendTurns {
  private owner: WireConnection | null = null;
  private readonly waiting: Array<{ connection: WireConnection; grant: () => void }> = [];

  acquire(connection: WireConnection): Promise<void> {
    if (this.owner === null) {
      this.owner = connection;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ connection, grant }));
  }

  release(connection: WireConnection): void {
    if (this.owner !== connection) return;
    const next = this.waiting.shift();
    this.owner = next?.connection ?? null;
    next?.grant();
  }
}

interface Backend {
  turns: BackendTurns;
  execute(messages: Uint8Array): Promise<Uint8Array>;
}

export async function servePGlite(options: PGliteWireServerOptions): Promise<PGliteWireServer> {
  const { session } = options;
  const backend: Backend = {
    turns: new BackendTurns(),
    execute: (messages) => session.exec(messages),
  };
  const connections = new Set<WireConnection>();
  let nextId = 1;
  const server = net.createServer((socket) => {
    const connection = new WireConnection(
      socket,
      nextId++,
      backend,
      () => connections.size > options.maxConnections,
    );
    connections.add(connection);
    void connection.finished.then(() => connections.delete(connection));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    connectionCount: () => connections.size,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const open = [...connections];
      for (const connection of open) connection.destroy();
      await Promise.all(open.map((connection) => connection.finished));
      await closed;
    },
  };
}

class WireConnection {
  private readonly framer = new MessageFramer();
  /** Whole messages not yet handed to PGlite; `startup` is the startup packet. */
  private inbox: Array<Buffer | { startup: Buffer }> = [];
  private started = false;
  private owns = false;
  /** Messages went to PGlite since its last ReadyForQuery. */
  private midCycle = false;
  private inCopyIn = false;
  private status: TransactionStatus = 'I';
  private readonly statements = new Set<string>();
  private readonly statementPrefix: string;
  private closed = false;
  private cleanedUp = false;
  private pumping = false;
  private resolveFinished!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  constructor(
    private readonly socket: net.Socket,
    id: number,
    private readonly backend: Backend,
    private readonly overCapacity: () => boolean,
  ) {
    this.statementPrefix = `c${id}_`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  destroy(): void {
    if (!this.closed) {
      this.closed = true;
      this.inbox = [];
      this.socket.destroy();
    }
    this.pump();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.framer.push(chunk);
      if (!this.started) this.readStartup();
      if (this.started) this.readMessages();
    } catch (error) {
      if (!(error instanceof WireProtocolViolation)) throw error;
      this.socket.end(build.fatalError('08P01', error.message));
      this.destroy();
      return;
    }
    this.pump();
  }

  private readStartup(): void {
    for (let frame = this.framer.nextStartupFrame(); frame; frame = this.framer.nextStartupFrame()) {
      if (frame.kind === 'ssl-request' || frame.kind === 'gssenc-request') {
        this.socket.write('N'); // no encryption on loopback; the client goes on in plain text
      } else if (frame.kind === 'cancel-request') {
        this.destroy(); // PGlite has no backend process to signal; nothing is answered
        return;
      } else if (this.overCapacity()) {
        this.socket.end(build.fatalError('53300', 'sorry, too many clients already'));
        this.destroy();
        return;
      } else {
        this.inbox.push({ startup: frame.bytes });
        this.started = true;
        return;
      }
    }
  }

  private readMessages(): void {
    for (let msg = this.framer.nextMessage(); msg; msg = this.framer.nextMessage()) {
      if (msg[0] === MessageType.terminate) {
        this.destroy();
        return;
      }
      this.inbox.push(scopeStatementName(msg, this.statementPrefix, this.statements));
    }
  }

  /** One loop per connection at a time: hand the inbox to PGlite in turns, then clean up. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.work()
      .catch(() => this.destroy())
      .finally(() => {
        this.pumping = false;
        if (this.inbox.length > 0 || (this.closed && !this.cleanedUp)) this.pump();
      });
  }

  private async work(): Promise<void> {
    while (this.inbox.length > 0 && !this.closed) {
      if (!this.owns) {
        await this.backend.turns.acquire(this);
        this.owns = true;
        if (this.closed) break;
      }
      const first = this.inbox[0]!;
      let batch: Buffer;
      let lastType: number;
      if (Buffer.isBuffer(first)) {
        // Everything the client sent so far in one call: PGlite runs a buffer of messages in order.
        const messages = this.inbox.filter((entry): entry is Buffer => Buffer.isBuffer(entry));
        this.inbox = this.inbox.slice(messages.length);
        batch = messages.length === 1 ? messages[0]! : Buffer.concat(messages);
        lastType = messages.at(-1)![0]!;
      } else {
        this.inbox.shift();
        batch = first.startup;
        lastType = MessageType.sync; // the startup answer ends with ReadyForQuery as well
      }
      const output = await this.backend.execute(batch);
      if (!this.closed && output.length > 0) {
        this.socket.write(Buffer.from(output.buffer, output.byteOffset, output.byteLength));
      }
      this.noteAnswer(output, lastType);
    }
    if (this.closed) await this.cleanUp();
  }

  private noteAnswer(output: Uint8Array, lastType: number): void {
    const last = lastBackendMessage(output);
    this.inCopyIn = last?.type === MessageType.copyInResponse;
    if (last?.type === MessageType.readyForQuery && last.status !== null) {
      this.status = last.status;
      this.midCycle = false;
    } else {
      this.midCycle = true;
    }
    if (!this.midCycle && this.status === 'I' && endsCycle(lastType)) this.releaseTurn();
  }

  private releaseTurn(): void {
    if (!this.owns) return;
    this.owns = false;
    this.backend.turns.release(this);
  }

  /**
   * Leave the shared session as a new connection would find it: a cycle in progress rolled back
   * (a bare Sync would commit its implicit transaction), an open transaction rolled back, this
   * connection's prepared statements closed. The answers are nobody's, so they are dropped.
   */
  private async cleanUp(): Promise<void> {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    try {
      const dirty = this.owns && (this.midCycle || this.status !== 'I');
      if (!dirty && this.statements.size === 0) return;
      if (!this.owns) {
        await this.backend.turns.acquire(this);
        this.owns = true;
      }
      const parts: Buffer[] = [];
      if (this.inCopyIn) parts.push(build.copyFail('client disconnected'));
      // In an implicit transaction ROLLBACK aborts it; after an error PGlite skips to the Sync,
      // which then aborts the failed implicit transaction itself.
      if (this.midCycle) parts.push(build.extendedStatement('ROLLBACK'), build.sync());
      if (dirty) parts.push(build.query('ROLLBACK'));
      for (const name of this.statements) parts.push(build.closeStatement(name));
      parts.push(build.sync());
      await this.backend.execute(Buffer.concat(parts)).catch(() => undefined);
    } finally {
      this.releaseTurn();
      this.resolveFinished();
    }
  }
}
