export * from './alphabet';
