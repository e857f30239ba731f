export * from './period';
export * from './journal';
export * from './tables';
export * from './report';
export * from './merge';
