/**
 * Source of the worker thread that keeps a node's presence key alive in Redis. It runs on its own event
 * loop, so a node whose main thread is busy for seconds (thousands of sockets written at once) is still
 * present, while a node that died (kill -9 takes its threads with it) expires after the key's TTL.
 * Evaluated as a string (`new Worker(source, { eval: true })`), like the PostgreSQL worker; ioredis is
 * resolved by the caller and passed in as a path.
 */
export const PRESENCE_WORKER_SOURCE = String.raw`
const { workerData, parentPort } = require('node:worker_threads');
const { Redis } = require(workerData.ioredisPath);
const { url, key, ttlMs, everyMs } = workerData;
const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
redis.on('error', () => {});
let first = true;
const beat = () => { redis.set(key, String(Date.now()), 'PX', ttlMs).then(() => { if (first) { first = false; parentPort.postMessage('present'); } }, () => {}); };
redis.on('ready', beat);
const timer = setInterval(beat, everyMs);
parentPort.on('message', (m) => {
  if (m !== 'leave') return;
  clearInterval(timer);
  redis.del(key).catch(() => {}).finally(() => { redis.disconnect(); parentPort.close(); });
});
`;
