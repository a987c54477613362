export { MAX_COMPARED_PLANS, PlanningTwin, type PlanOutcome, type RecommendInput } from './planner.ts';
export { choosePrior, fetchTwinPrior, PriorFetchError, type PriorChoice } from './publishedPrior.ts';
