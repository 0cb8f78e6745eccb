export * from './previewd-error';
export * from './config-error';
export * from './bad-request-error';
export * from './unauthorized-error';
export * from './payload-too-large-error';
export * from './rate-limited-error';
export * from './temporal-unavailable-error';
export * from './http-status';
