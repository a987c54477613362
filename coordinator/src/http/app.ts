import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { parameterCount, TASK_IDS, weightManifest, type TaskId } from '@huddle/shared/model';
import { PROTOCOL_VERSION } from '@huddle/shared/protocol';
import type { Coordinator } from '../engine/coordinator.ts';
import { tfjsModelFiles, type TfjsModelFiles } from './modelArtifacts.ts';

export interface AppOptions {
  coordinator: Coordinator;
  /** Extra routes (auth, dashboard, web client) mounted before the 404 handler. */
  extend?: (app: Express) => void;
}

function taskParam(req: Request, res: Response, coordinator: Coordinator): TaskId | null {
  const task = req.params.task as TaskId;
  if (!TASK_IDS.includes(task) || !coordinator.taskIds().includes(task)) {
    res.status(404).json({ error: `unknown task "${String(req.params.task).slice(0, 40)}"; tasks: ${coordinator.taskIds().join(', ')}` });
    return null;
  }
  return task;
}

export function createApp({ coordinator, extend }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));
  const started = Date.now();
  const modelCache = new Map<TaskId, { round: number; files: Promise<TfjsModelFiles> }>();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', protocol: PROTOCOL_VERSION, uptimeSeconds: Math.round((Date.now() - started) / 1000), clients: coordinator.registry.size });
  });

  app.get('/api/tasks', (_req, res) => {
    res.json(
      coordinator.taskIds().map((task) => {
        const s = coordinator.taskState(task);
        return {
          task,
          round: s.round,
          running: s.running,
          featureCount: s.spec.inputSize,
          parameterCount: parameterCount(weightManifest(s.spec)),
          optedInClients: coordinator.registry.optedIn(task).length,
          config: s.config,
        };
      }),
    );
  });

  app.get('/api/tasks/:task/rounds', (req, res) => {
    const task = taskParam(req, res, coordinator);
    if (task) res.json(coordinator.history(task));
  });

  const modelFiles = (task: TaskId): Promise<TfjsModelFiles> => {
    const s = coordinator.taskState(task);
    const cached = modelCache.get(task);
    if (cached && cached.round === s.round) return cached.files;
    const files = tfjsModelFiles(s.spec, s.weights);
    modelCache.set(task, { round: s.round, files });
    return files;
  };

  app.get(['/api/tasks/:task/model', '/api/tasks/:task/model/', '/api/tasks/:task/model/model.json'], async (req, res, next) => {
    const task = taskParam(req, res, coordinator);
    if (!task) return;
    try {
      const files = await modelFiles(task);
      res.setHeader('X-Huddle-Round', String(coordinator.taskState(task).round));
      res.json(files.modelJson);
    } catch (err) {
      next(err);
    }
  });

  app.get('/api/tasks/:task/model/weights.bin', async (req, res, next) => {
    const task = taskParam(req, res, coordinator);
    if (!task) return;
    try {
      const files = await modelFiles(task);
      res.type('application/octet-stream').send(Buffer.from(files.weightsBin));
    } catch (err) {
      next(err);
    }
  });

  extend?.(app);

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such endpoint' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    res.status(status).json({ error: status === 400 ? 'malformed request body' : status < 500 ? String((err as Error).message) : 'internal error' });
  });
  return app;
}
