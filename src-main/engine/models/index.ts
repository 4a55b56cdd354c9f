/** Model definitions: functional forward passes over named parameter tensors (PyTorch / Hugging Face names). */
export { BERT_PRESETS, Bert, type BertConfig, type BertHead, type BertInputs, bertConfig, bertParamSpecs } from './bert';
export { CNN_DEFAULTS, Cnn, type CnnConfig, cnnConfig, cnnFlatLength, cnnParamSpecs } from './cnn';
export { type OpSet, dropoutMask, fastOps, stockOps } from './ops';
export { type Init, type ParamEntry, ParamLayout, type ParamMap, type ParamSpec, torchDefault } from './params';
export { Rng, deriveSeed } from './rng';
