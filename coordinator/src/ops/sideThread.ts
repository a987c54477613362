import { MessageChannel, Worker, type MessagePort, type Transferable } from 'node:worker_threads';

/**
 * The process's one helper thread, shared by every job that needs an event loop of its own: each PostgreSQL
 * connection (store/sql/postgresSyncDb.ts) and the cluster node's presence refresher (cluster/nodePresence.ts).
 * A worker thread is a whole Node environment (about 10 MB of RSS empty, plus the packages it loads); a leader node
 * ran three of them, for the lease, the store and presence. The jobs only wait on I/O, so one event loop serves them.
 *
 * A job is the body of `function (require, data, port)`, compiled once per name in the thread; it talks to its owner
 * over its own MessagePort. The thread starts with the first job and stops when the last one ends. A job that throws
 * while starting posts `{ ok: false, message }` on its port instead of stopping the thread.
 */
const DISPATCHER = String.raw`
const { parentPort } = require('node:worker_threads');
const jobs = new Map();
parentPort.on('message', ({ name, body, data, port }) => {
  try {
    let job = jobs.get(name);
    if (!job) jobs.set(name, (job = new Function('require', 'data', 'port', body)));
    job(require, data, port);
  } catch (err) {
    // A job that fails to start fails alone: its owner hears of it, the thread's other jobs go on.
    port.postMessage({ ok: false, message: 'side-thread job ' + name + ' failed to start: ' + String((err && err.message) || err), code: null });
  }
});
`;

export interface SideJob {
  /** The job's end of its channel. */
  readonly port: MessagePort;
  /** The owner is done with the job (it closed its port or told the job to stop): the last one stops the thread. */
  end(): void;
}

let thread: { worker: Worker; jobs: number } | null = null;

export function startSideJob(name: string, body: string, data: Record<string, unknown>, options: { transfer?: Transferable[]; onError?: (message: string) => void } = {}): SideJob {
  if (!thread) {
    // A small young generation: the jobs allocate little (query rows, a key refresh a second), and V8's default lets a
    // worker's new space grow to tens of MB that it keeps (a leader's side thread: +52 MB RSS with it, +21 MB with 2 MB).
    const worker = new Worker(DISPATCHER, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    worker.unref();
    const started = { worker, jobs: 0 };
    // A thread that died (an uncaught error in a job) takes its jobs with it; the next job starts a new one.
    worker.once('exit', () => {
      if (thread === started) thread = null;
    });
    thread = started;
  }
  const t = thread;
  t.jobs++;
  const { port1, port2 } = new MessageChannel();
  // The owner waits on its port when it needs an answer; the port alone does not keep the process running.
  port1.unref();
  const onError = (err: Error) => options.onError?.(err.message);
  t.worker.on('error', onError);
  t.worker.postMessage({ name, body, data, port: port2 }, [port2, ...(options.transfer ?? [])]);
  let ended = false;
  return {
    port: port1,
    end() {
      if (ended) return;
      ended = true;
      t.worker.off('error', onError);
      if (--t.jobs > 0) return;
      if (thread === t) thread = null;
      void t.worker.terminate();
    },
  };
}
