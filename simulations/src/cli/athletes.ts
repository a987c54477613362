import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { enroll, FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { groupByAthlete } from '@huddle/shared/log';
import { TASK_IDS, createDeviceTrainer, type TaskId } from '@huddle/shared/model';
import { generateSyntheticFederation } from '../synthetic/index.ts';
import { isEntryPoint, runProgram, type CliOutput, processOutput } from './args.ts';

const positive = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

interface Options {
  coordinator: string;
  invites?: string;
  adminToken?: string;
  count?: number;
  tasks: string;
  days: number;
  seed: number;
  verbose?: boolean;
}

/** Invite codes: the ones given, or `count` new ones made with the admin token (POST /api/invites). */
async function inviteCodes(o: Options, tasks: TaskId[]): Promise<string[]> {
  if (o.invites) return o.invites.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const codes: string[] = [];
  for (let i = 0; i < o.count!; i++) {
    const res = await fetch(new URL('/api/invites', o.coordinator), {
      method: 'POST',
      headers: { authorization: `Bearer ${o.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tasks, expiresInHours: 1 }),
    });
    if (res.status !== 201) throw new Error(`the coordinator refused to create an invite: HTTP ${res.status} ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? ''}`.trim());
    codes.push(((await res.json()) as { code: string }).code);
  }
  return codes;
}

/**
 * `athletes --coordinator URL (--invites CODE,... | --admin-token T --count N)`: N synthetic athletes
 * enroll by invite (each with a signing key made here), connect over socket.io and take part in every
 * round of the coordinator until stopped (Ctrl-C, or `signal`). Their logs stay in this process.
 */
export async function main(argv: string[], out: CliOutput = processOutput, signal?: AbortSignal): Promise<number> {
  let options: Options | null = null;
  const code = await runProgram(
    (setExitCode) =>
      new Command('athletes')
        .description('Connect synthetic athletes to a running coordinator (enrollment by invite) until Ctrl-C')
        .requiredOption('--coordinator <url>', 'the coordinator, e.g. http://127.0.0.1:8080')
        .option('--invites <codes>', 'comma-separated invite codes, one athlete each')
        .option('--admin-token <token>', 'create the invites with this admin token (with --count)')
        .option('--count <n>', 'athletes to connect (with --admin-token)', positive)
        .option('--tasks <list>', 'tasks the athletes opt in to', TASK_IDS.join(','))
        .option('--days <n>', 'days of synthetic log per athlete', positive, 365)
        .option('--seed <n>', 'seed of the synthetic athletes', positive, 11)
        .option('--verbose', 'print the clients\' logs')
        .exitOverride()
        .configureOutput({ writeOut: (s) => out.stdout(s), writeErr: (s) => out.stderr(s) })
        .action((o: Options) => {
          options = o;
          setExitCode(0);
        }),
    argv,
  );
  if (code !== 0 || !options) return code;
  const o: Options = options;
  if (!o.invites === !(o.adminToken && o.count)) {
    out.stderr('give either --invites CODE,... or --admin-token T --count N\n');
    return 2;
  }
  const tasks = o.tasks.split(',').map((t) => t.trim()) as TaskId[];
  const unknown = tasks.filter((t) => !TASK_IDS.includes(t));
  if (unknown.length > 0) {
    out.stderr(`unknown task(s): ${unknown.join(', ')}; known: ${TASK_IDS.join(', ')}\n`);
    return 2;
  }

  const logger = pino({ level: o.verbose ? 'info' : 'warn' }, pino.destination(2));
  await initNodeBackend(logger);
  const codes = await inviteCodes(o, tasks);
  const logs = [...groupByAthlete(generateSyntheticFederation({ athletes: codes.length, days: o.days, seed: o.seed })).values()];
  const clients: FederatedClient[] = [];
  try {
    for (const [i, inviteCode] of codes.entries()) {
      const enrollment = await enroll(o.coordinator, inviteCode);
      const client = new FederatedClient({
        transport: new SocketIoClientTransport(o.coordinator),
        clientId: enrollment.clientId,
        signingKey: enrollment.secretKey,
        data: new InMemoryDataSource(logs[i]!),
        tasks,
        trainer: createDeviceTrainer(),
        logger,
      });
      client.on((e) => {
        if (e.type === 'trained') out.stderr(`${enrollment.clientId}: trained ${e.task} round ${e.round} on ${e.numExamples} days\n`);
      });
      clients.push(client);
    }
    await Promise.all(clients.map((c) => c.start()));
    out.stdout(`${clients.length} synthetic athletes enrolled and connected to ${o.coordinator} (tasks: ${tasks.join(', ')}); Ctrl-C stops them\n`);
    await new Promise<void>((resolve) => {
      const done = (): void => {
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      };
      if (signal?.aborted) return done();
      signal?.addEventListener('abort', done, { once: true });
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    return 0;
  } finally {
    clients.forEach((c) => c.stop());
  }
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
