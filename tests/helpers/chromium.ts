/** The one Chromium launcher lives in simulations (the benchmarks use it too). */
export * from '@huddle/simulations/browser';
