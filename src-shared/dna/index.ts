export * from './alphabet';
export * from './vocab';
export * from './kmer-tokenizer';
