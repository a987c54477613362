/**
 * The side-thread job (ops/sideThread.ts: the body of `function (require, data, port)`) that owns one PostgreSQL
 * connection. A string, so that it works unchanged from TypeScript sources, tests and bundled builds; `pg` is
 * resolved by the caller and passed in as a path.
 */
export const POSTGRES_JOB_SOURCE = String.raw`
const pg = require(data.pgPath);
pg.types.setTypeParser(20, (v) => Number(v)); // int8: epoch milliseconds and counts fit a double exactly
const { signal, url, connectTimeoutMs, queryTimeoutMs } = data;
const flag = new Int32Array(signal);
let client = null;

function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function toParam(v) {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}

async function connection() {
  if (client) return client;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, query_timeout: queryTimeoutMs, application_name: 'huddle-coordinator' });
  c.on('error', () => { if (client === c) client = null; });
  await c.connect();
  client = c;
  return c;
}

async function handle(msg) {
  if (msg.type === 'close') {
    const c = client;
    client = null;
    if (c) await c.end().catch(() => {});
    setImmediate(() => port.close());
    return { ok: true };
  }
  const c = await connection();
  try {
    const r = await c.query({ text: msg.sql, values: (msg.params || []).map(toParam) });
    return { ok: true, rows: r.rows, rowCount: r.rowCount ?? 0 };
  } catch (err) {
    if (!err.code || String(err.code).startsWith('08') || /terminat|closed|ECONN/i.test(String(err.message))) {
      if (client === c) client = null;
      c.end().catch(() => {});
    }
    throw err;
  }
}

port.on('message', (msg) => {
  handle(msg).then(reply, (err) => reply({ ok: false, message: String(err && err.message || err), code: err && err.code || null }));
});
`;
