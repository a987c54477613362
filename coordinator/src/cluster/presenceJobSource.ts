/**
 * The side-thread job (ops/sideThread.ts) that keeps a node's presence key alive in Redis. It runs on the side
 * thread's event loop, so a node whose main thread is busy for seconds (thousands of sockets written at once) is
 * still present, while a node that died (kill -9 takes its threads with it) expires after the key's TTL. A string,
 * like the PostgreSQL job; ioredis is resolved by the caller and passed in as a path. Messages from the owner:
 * 'leave' (delete the key, then answer 'left') and 'kill' (stop refreshing, leave the key to expire, as a crash).
 */
export const PRESENCE_JOB_SOURCE = String.raw`
const { Redis } = require(data.ioredisPath);
const { url, key, ttlMs, everyMs } = data;
const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
redis.on('error', () => {});
let first = true;
let stopped = false;
const beat = () => { if (!stopped) redis.set(key, String(Date.now()), 'PX', ttlMs).then(() => { if (first && !stopped) { first = false; port.postMessage('present'); } }, () => {}); };
redis.on('ready', beat);
const timer = setInterval(beat, everyMs);
port.on('message', (m) => {
  if (m !== 'leave' && m !== 'kill') return;
  stopped = true;
  clearInterval(timer);
  if (m === 'kill') { redis.disconnect(); port.close(); return; }
  redis.del(key).catch(() => {}).finally(() => { redis.disconnect(); port.postMessage('left'); port.close(); });
});
`;
