// The launcher lives beside the PostgreSQL one so the load bench (simulations) can start both too.
export * from '../../coordinator/test/helpers/redisServer.ts';
