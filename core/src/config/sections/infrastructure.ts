import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const serverSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port,
});

export const serversSchema = z
  .strictObject({
    agentBot: serverSchema.default({ host: '127.0.0.1', port: 3100 }),
    /** analytics-serve (metrics/export API, panel); in local mode both halves listen here. */
    analytics: serverSchema.default({ host: '127.0.0.1', port: 3200 }),
    /** analytics-ingest run on its own (account webhooks, shipper, its /healthz). */
    analyticsIngest: serverSchema.default({ host: '127.0.0.1', port: 3201 }),
    simulator: serverSchema.default({ host: '127.0.0.1', port: 3300 }),
  })
  .default({
    agentBot: { host: '127.0.0.1', port: 3100 },
    analytics: { host: '127.0.0.1', port: 3200 },
    analyticsIngest: { host: '127.0.0.1', port: 3201 },
    simulator: { host: '127.0.0.1', port: 3300 },
  });

export const databaseSchema = z
  .strictObject({
    /** Unset: local mode (embedded PGlite + pgvector served on 127.0.0.1). */
    url: z.string().url().optional(),
    poolSize: z.coerce.number().int().min(1).max(200).default(10),
    connectTimeoutMs: z.coerce.number().int().min(100).default(5000),
    local: z
      .strictObject({
        dataDir: z.string().default('./data/postgres'),
        /** 0 picks a free port; the lock file tells other processes which one. */
        port: port.default(54329),
        maxConnections: z.coerce.number().int().min(2).max(500).default(100),
      })
      .default({ dataDir: './data/postgres', port: 54329, maxConnections: 100 }),
  })
  .default({
    poolSize: 10,
    connectTimeoutMs: 5000,
    local: { dataDir: './data/postgres', port: 54329, maxConnections: 100 },
  });

export const clickhouseSchema = z
  .strictObject({
    /** Unset: local mode (chdb in-process). */
    url: z.string().url().optional(),
    username: z.string().default('default'),
    password: z.string().default(''),
    database: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .default('switchboard'),
    requestTimeoutMs: z.coerce.number().int().min(100).default(30000),
    /**
     * A self-managed cluster (a name in its remote_servers): the migrations create replicated
     * tables ON CLUSTER with Distributed tables in front. Unset for one server, chdb and
     * ClickHouse Cloud (which replicates by itself).
     */
    cluster: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .optional(),
    local: z
      .strictObject({ dataDir: z.string().default('./data/clickhouse') })
      .default({ dataDir: './data/clickhouse' }),
  })
  .default({
    username: 'default',
    password: '',
    database: 'switchboard',
    requestTimeoutMs: 30000,
    local: { dataDir: './data/clickhouse' },
  });

export const loggingSchema = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** pretty: human-readable lines; json: one JSON object per line; auto: pretty in a terminal. */
    format: z.enum(['auto', 'pretty', 'json']).default('auto'),
  })
  .default({ level: 'info', format: 'auto' });

/**
 * The local playground (npm start in local mode): the Chatwoot simulator in-process, seeded from
 * `chatwoot.accounts[0]`, a page at /playground on the agent-bot, and a sample knowledge base
 * ingested on first start. Off unless enabled: production never runs a simulator.
 */
export const playgroundSchema = z
  .strictObject({
    /** Environment overrides arrive as strings ("true"/"false"). */
    enabled: z
      .preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean())
      .default(false),
    sampleKnowledge: z
      .strictObject({
        knowledgeBase: z.string().default('riverside-bikes'),
        path: z.string().default('./config/sample-knowledge'),
      })
      .default({ knowledgeBase: 'riverside-bikes', path: './config/sample-knowledge' }),
  })
  .default({
    enabled: false,
    sampleKnowledge: { knowledgeBase: 'riverside-bikes', path: './config/sample-knowledge' },
  });
