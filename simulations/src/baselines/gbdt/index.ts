export * from './binning.ts';
export * from './losses.ts';
export * from './tree.ts';
export * from './boost.ts';
export * from './pooled.ts';
