export * from './channels';
export * from './client';
export * from './dto';
export * from './errors';
export * from './ws-protocol';
export * from './datasets';
export * from './training';
