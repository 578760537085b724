export * from './limits.ts';
export * from './common.ts';
export * from './comment.ts';
export * from './count.ts';
export * from './article.ts';
export * from './related.ts';
export * from './error.ts';
