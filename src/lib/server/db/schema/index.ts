// Every table of the server's one schema; drizzle-kit generates migrations from this file.
export * from './auth';
export * from './org';
export * from './sync';
export * from './organiser';
export * from './cashbook';
export * from './payments';
export * from './jobs';
