import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { parameterCount, weightManifest, type TaskId } from '@huddle/shared/modelCore';
import { PROTOCOL_VERSION, taskModel } from '@huddle/shared/protocol';
import { silentLogger } from '@huddle/shared/util';
import { storeRoleChecker } from '../auth/roles.ts';
import { mountConsole } from '../console/consoleRoutes.ts';
import { publicRound } from '../dashboard/publicRound.ts';
import { RoundEventStream } from '../dashboard/roundEventStream.ts';
import type { Coordinator } from '../engine/coordinator.ts';
import { rateLimit } from '../limits/httpRateLimit.ts';
import type { CoordinatorMetrics } from '../ops/metrics.ts';
import { securityWarnings } from '../ops/secureDefaults.ts';
import { mountAccessRoutes } from './accessRoutes.ts';
import { mountAuditorRoutes } from './auditorRoutes.ts';
import { mountCoachRoutes } from './coachRoutes.ts';
import { compressResponses } from './compress.ts';
import type { AppAuthOptions, AuthContext } from './authOptions.ts';
import { mountEventsRoute } from './eventsRoute.ts';
import { credentialOf, requireRole } from './guard.ts';
import { modelFiles as globalModelFiles, type TfjsModelFiles } from './modelArtifacts.ts';
import { mountTaskRoutes } from './taskRoutes.ts';
import { taskParam as hostedTaskParam } from './taskParam.ts';

export type { AppAuthOptions, ProtectedStore } from './authOptions.ts';

export interface AppOptions {
  coordinator: Coordinator;
  /** Extra routes (auth, dashboard, web client) mounted before the 404 handler. */
  extend?: (app: Express) => void;
  /**
   * Identity and roles: protects round history, metrics, budget and configuration, and adds
   * invites, enrollment, credentials, the live feed and the dashboard. Without it the API stays
   * open as before (demo, simulations, tests).
   */
  auth?: AppAuthOptions;
  /** Prometheus metrics at `GET /metrics` (analyst role when `auth` is set). */
  metrics?: CoordinatorMetrics;
}

export const DEFAULT_API_RATE = { burst: 120, perSecond: 20 };
/** Redeeming invite codes: generous enough for a team enrolling behind one clubhouse address. */
export const DEFAULT_ENROLL_RATE = { burst: 20, perSecond: 0.2 };

function taskParam(req: Request, res: Response, coordinator: Coordinator): TaskId | null {
  return hostedTaskParam(req, res, coordinator.taskIds());
}

function authContext(coordinator: Coordinator, auth: AppAuthOptions): AuthContext {
  return {
    store: auth.store,
    check: auth.check ?? storeRoleChecker(auth.store),
    hosted: () => coordinator.taskIds(),
    now: auth.now ?? Date.now,
    logger: auth.logger ?? silentLogger,
    publicUrl: auth.publicUrl,
    onTaskConfig: auth.onTaskConfig,
    onEnrollmentEnded: auth.onEnrollmentEnded,
  };
}

export function createApp({ coordinator, extend, auth, metrics }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(compressResponses());
  const ctx = auth ? authContext(coordinator, auth) : null;
  if (auth && ctx && auth.rateLimits !== false) {
    app.use('/api', rateLimit({ ...DEFAULT_API_RATE, ...auth.rateLimits?.api, now: ctx.now }));
    app.use('/api/enroll', rateLimit({ ...DEFAULT_ENROLL_RATE, ...auth.rateLimits?.enroll, now: ctx.now }));
    app.use('/api/coach/enroll', rateLimit({ ...DEFAULT_ENROLL_RATE, ...auth.rateLimits?.enroll, now: ctx.now }));
  }
  app.use(express.json({ limit: '64kb' }));
  const analystOnly: RequestHandler[] = ctx ? [requireRole(ctx.check, 'analyst')] : [];
  const started = Date.now();
  const modelCache = new Map<TaskId, { round: number; files: Promise<TfjsModelFiles> }>();
  const warningsOf = (task: TaskId) => securityWarnings(coordinator.taskState(task).config, ctx ? 'enrolled' : 'open');

  app.get('/health', (_req, res) => {
    const warnings = [...new Set(coordinator.taskIds().flatMap((task) => warningsOf(task).map((w) => `${task}: ${w}`)))];
    // What the athlete app's consent screen tells athletes before they opt in (the warnings say the same in words).
    const privacy = coordinator.taskIds().map((task) => ({ task, secureAggregation: coordinator.taskState(task).config.secureAggregation.enabled, dp: coordinator.taskState(task).config.privacy.noise }));
    res.json({ status: 'ok', protocol: PROTOCOL_VERSION, uptimeSeconds: Math.round((Date.now() - started) / 1000), clients: coordinator.registry.size, warnings, privacy });
  });

  if (metrics) app.get('/metrics', ...analystOnly, metricsHandler(metrics));

  // Privacy settings and live counts: analysts and admins only when identities exist.
  app.get('/api/tasks', ...analystOnly, (_req, res) => {
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
          /** Plain-words warnings about weakened privacy (secure aggregation or DP off, no budget); empty when none. */
          warnings: warningsOf(task),
        };
      }),
    );
  });

  // The federation's twin prior (population means and SDs only), fetched by devices like the models.
  app.get('/api/twin-prior', (_req, res) => {
    const prior = coordinator.twinPrior();
    // 204, not 404: "none yet" is a normal answer (devices then use the built-in default prior).
    if (!prior) return res.status(204).end();
    res.json(prior);
  });
  app.get('/api/twin-prior/rounds', ...analystOnly, (_req, res) => {
    res.json(coordinator.twinPriorHistory());
  });

  app.get('/api/tasks/:task/rounds', ...analystOnly, (req, res) => {
    const task = taskParam(req, res, coordinator);
    if (!task) return;
    const history = coordinator.history(task);
    // Analysts see participation as counts; pseudonymous ids stay with admins (and the open, auth-less mode).
    res.json(ctx && credentialOf(res).role !== 'admin' ? history.map(publicRound) : history);
  });

  const modelFiles = (task: TaskId): Promise<TfjsModelFiles> => {
    const s = coordinator.taskState(task);
    const cached = modelCache.get(task);
    if (cached && cached.round === s.round) return cached.files;
    const files = globalModelFiles(s.spec, taskModel(s.config), s.weights);
    modelCache.set(task, { round: s.round, files });
    return files;
  };

  app.get(['/api/tasks/:task/model', '/api/tasks/:task/model/', '/api/tasks/:task/model/model.json'], async (req, res, next) => {
    const task = taskParam(req, res, coordinator);
    if (!task) return;
    try {
      const files = await modelFiles(task);
      const state = coordinator.taskState(task);
      res.setHeader('X-Huddle-Round', String(state.round));
      // The quality validated for exactly this model version (and the federation's standing) travels with it.
      const published = state.published && state.published.model.round === state.round ? state.published : null;
      const json = files.modelJson as { userDefinedMetadata?: Record<string, unknown> };
      res.json({ ...json, userDefinedMetadata: { ...json.userDefinedMetadata, published } });
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

  if (auth && ctx) {
    mountAccessRoutes(app, ctx);
    mountAuditorRoutes(app, ctx, auth.auditor);
    mountTaskRoutes(app, coordinator, ctx);
    mountEventsRoute(app, auth.events ?? new RoundEventStream(coordinator), ctx);
    mountConsole(app, coordinator, ctx);
    if (auth.store.coaches) mountCoachRoutes(app, ctx, auth.store.coaches);
  }

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

/** Serves the Prometheus text format. */
export function metricsHandler(metrics: CoordinatorMetrics): RequestHandler {
  return (_req, res, next) => {
    metrics.text().then((text) => {
      res.setHeader('Content-Type', metrics.contentType());
      res.setHeader('Cache-Control', 'no-store');
      res.send(text);
    }, next);
  };
}
