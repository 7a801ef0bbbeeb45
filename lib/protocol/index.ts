export * from './actions';
export * from './compute';
export * from './events';
export * from './http';
export * from './primitives';
export * from './socket';
export * from './version';
