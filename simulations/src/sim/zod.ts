// simulations/package.json does not list zod (a lead-owned file); until it does, reuse the exact copy
// @huddle/shared depends on, so schemas from both packages share one zod instance.
export { z } from '../../../shared/node_modules/zod/index.js';
