/**
 * Where the ClickHouse schema lives, which decides the DDL the migrations run:
 * - `single`: one server, chdb (local mode) or ClickHouse Cloud. The statements run as written.
 *   Cloud needs nothing more: it replicates every MergeTree-family table itself (SharedMergeTree)
 *   and wants neither ON CLUSTER nor Replicated engine arguments.
 * - `cluster`: a self-managed cluster (`clickhouse.cluster`): each MergeTree table becomes
 *   `<name>_local`, Replicated<Engine> on every node (ON CLUSTER), with a Distributed table under
 *   the original name in front of it, so every query and insert of the product stays unchanged.
 */
export type ClickHouseDdlMode = { kind: 'single' } | { kind: 'cluster'; cluster: string };

/** Suffix of the replicated table behind each Distributed one. */
export const LOCAL_TABLE_SUFFIX = '_local';

/**
 * Insert blocks whose hash (or insert_deduplication_token) Keeper keeps per replicated table: the
 * shipper re-sends a batch under the same token after a crash, which must still fall inside it.
 * The same number as the migrations' non_replicated_deduplication_window for a single server.
 */
export const REPLICATED_DEDUPLICATION_WINDOW = 10_000;

export function ddlModeFor(cluster: string | null | undefined): ClickHouseDdlMode {
  return cluster ? { kind: 'cluster', cluster: assertIdentifier(cluster) } : { kind: 'single' };
}

const CREATE_TABLE =
  /^CREATE TABLE IF NOT EXISTS (\w+)\s*\(([\s\S]*)\)\s*ENGINE\s*=\s*(\w*MergeTree)(?:\s*\(([^)]*)\))?([\s\S]*)$/i;
const CREATE_MATERIALIZED_VIEW =
  /^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+)\s+TO\s+(\w+)\s+AS\s+([\s\S]*)$/i;
const CREATE_VIEW = /^CREATE VIEW IF NOT EXISTS (\w+)\s+AS\s+([\s\S]*)$/i;
const ALTER_TABLE = /^ALTER TABLE (\w+)\s+([\s\S]*)$/i;
const DROP = /^DROP (TABLE|VIEW) IF EXISTS (\w+)$/i;
const INSERT = /^INSERT INTO\s/i;
const COLUMN_CLAUSE = /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR) COLUMN\b/i;

/**
 * The statements one migration statement becomes in `mode`. Single: itself. Cluster: see the
 * type above; a statement with no cluster form stops the migration with its first line rather
 * than run on one node of the cluster only.
 */
export function ddlForMode(statement: string, mode: ClickHouseDdlMode): string[] {
  if (mode.kind === 'single') return [statement];
  const on = `ON CLUSTER ${mode.cluster}`;

  const table = CREATE_TABLE.exec(statement);
  if (table) {
    const [, name, columns, engine, engineArgs, rest] = table as unknown as string[];
    const local = `${name}${LOCAL_TABLE_SUFFIX}`;
    const replicatedArgs = [
      `'/clickhouse/tables/{shard}/{database}/${local}'`,
      `'{replica}'`,
      ...(engineArgs?.trim() ? [engineArgs.trim()] : []),
    ].join(', ');
    return [
      `CREATE TABLE IF NOT EXISTS ${local} ${on}\n(${columns})\nENGINE = Replicated${engine}(${replicatedArgs})` +
        withReplicatedDedupWindow(rest!),
      // Rows that replace each other share the sorting key, so hashing it keeps them on one shard.
      `CREATE TABLE IF NOT EXISTS ${name} ${on} AS ${local}\n` +
        `ENGINE = Distributed(${mode.cluster}, currentDatabase(), ${local}, cityHash64(${sortingKey(rest!, name!)}))`,
    ];
  }

  const mv = CREATE_MATERIALIZED_VIEW.exec(statement);
  if (mv) {
    const [, name, target, select] = mv as unknown as string[];
    // A materialized view fires on inserts into the table it reads: on each node, the replicated
    // local table the Distributed insert lands in, and it writes to the local target there.
    return [
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} ${on} TO ${target}${LOCAL_TABLE_SUFFIX} AS\n${readLocalTables(select!)}`,
    ];
  }

  const view = CREATE_VIEW.exec(statement);
  if (view) {
    const [, name, select] = view as unknown as string[];
    // A plain view reads the Distributed tables (their names are the original ones): the whole cluster.
    return [`CREATE VIEW IF NOT EXISTS ${name} ${on} AS\n${select}`];
  }

  const alter = ALTER_TABLE.exec(statement);
  if (alter) {
    const [, name, clauses] = alter as unknown as string[];
    const kinds = splitTopLevel(clauses!).map((clause) => COLUMN_CLAUSE.test(clause));
    const local = `ALTER TABLE ${name}${LOCAL_TABLE_SUFFIX} ${on} ${clauses}`;
    if (kinds.every((isColumn) => !isColumn)) return [local];
    if (kinds.every((isColumn) => isColumn)) return [local, `ALTER TABLE ${name} ${on} ${clauses}`];
    throw new Error(`cluster DDL: split column and other changes into two ALTERs: ${firstLine(statement)}`);
  }

  const drop = DROP.exec(statement);
  if (drop) {
    const [, kind, name] = drop as unknown as string[];
    if (kind!.toUpperCase() === 'VIEW') return [`DROP VIEW IF EXISTS ${name} ${on} SYNC`];
    return [
      `DROP TABLE IF EXISTS ${name} ${on} SYNC`,
      `DROP TABLE IF EXISTS ${name}${LOCAL_TABLE_SUFFIX} ${on} SYNC`,
    ];
  }

  // Rows go through the Distributed table under the original name.
  if (INSERT.test(statement)) return [statement];
  throw new Error(`cluster DDL: no cluster form for this statement: ${firstLine(statement)}`);
}

/**
 * schema_migrations in each mode. On a cluster it is one replicated table across every node (its
 * Keeper path has no {shard}), so whichever node a process reaches knows what has been applied.
 */
export function migrationsTableDdl(mode: ClickHouseDdlMode): string {
  const columns = `(version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))`;
  if (mode.kind === 'single') {
    return `CREATE TABLE IF NOT EXISTS schema_migrations ${columns} ENGINE = ReplacingMergeTree ORDER BY version`;
  }
  return (
    `CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER ${mode.cluster} ${columns} ` +
    `ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{database}/schema_migrations', '{replica}') ORDER BY version`
  );
}

function withReplicatedDedupWindow(rest: string): string {
  if (/\breplicated_deduplication_window\s*=/i.test(rest)) return rest;
  const setting = `replicated_deduplication_window = ${REPLICATED_DEDUPLICATION_WINDOW}`;
  return /\bSETTINGS\b/i.test(rest)
    ? rest.replace(/\bSETTINGS\b/i, `SETTINGS ${setting},`)
    : `${rest}\nSETTINGS ${setting}`;
}

function sortingKey(rest: string, table: string): string {
  const match = /\bORDER BY\s+(\([^\n]*\)|[^\s]+)/i.exec(rest);
  if (!match) throw new Error(`cluster DDL: table ${table} has no ORDER BY to shard by`);
  const key = match[1]!;
  return key.startsWith('(') && key.endsWith(')') ? key.slice(1, -1) : key;
}

/**
 * FROM/JOIN <table> becomes <table>_local, aliased to the old name so qualified columns still
 * resolve. Keywords are matched in capitals only, as the migrations write them, so a lower-case
 * "from" in a string literal or a column name (fallback_from) is left alone.
 */
function readLocalTables(select: string): string {
  return select.replace(
    /\b(FROM|JOIN)\s+(\w+)\b(?!\s*\()(\s+AS\s+\w+)?/g,
    (_, keyword: string, table: string, alias: string | undefined) =>
      `${keyword} ${table}${LOCAL_TABLE_SUFFIX}${alias ?? ` AS ${table}`}`,
  );
}

/** Comma-separated clauses of an ALTER, ignoring commas inside parentheses or quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quote) {
      if (char === quote && text[i - 1] !== '\\') quote = null;
    } else if (char === "'" || char === '`' || char === '"') quote = char;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

function firstLine(statement: string): string {
  return statement.split('\n')[0]!.slice(0, 120);
}

function assertIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`invalid ClickHouse cluster name ${JSON.stringify(name)}`);
  return name;
}
