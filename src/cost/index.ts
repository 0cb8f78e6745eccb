export * from './cost-rates';
export * from './preview-cost';
export * from './budget';
