import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresServer } from './postgresServer.ts';

/** One throwaway PostgreSQL server for the test file: started before its tests, stopped after them. */
export function usePostgres(): PostgresServer {
  let server: PostgresServer | null = null;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  const started = (): PostgresServer => {
    if (!server) throw new Error('PostgreSQL is not running: use it inside a test or hook');
    return server;
  };
  return {
    get port() {
      return started().port;
    },
    url: (db) => started().url(db),
    createDatabase: () => started().createDatabase(),
    createSchema: () => started().createSchema(),
    stopServer: () => started().stopServer(),
    startServer: () => started().startServer(),
    stop: () => started().stop(),
  };
}
