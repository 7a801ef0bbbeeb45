export * from './reducer';
export * from './state';
