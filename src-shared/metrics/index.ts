export * from './input';
export * from './classification';
export * from './ranking';
export * from './report';
