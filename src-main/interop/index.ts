/** Interoperability: Hugging Face / DNABERT checkpoints in (safetensors, pytorch_model.bin), Hugging Face folders out. */
export { readSafetensors, writeSafetensors } from './safetensors';
export { readTorchBin } from './torch-bin';
export { readPickle } from './pickle';
export { ZipArchive } from './zip';
export { readHfCheckpoint, canonicalName, type ConvertedModel, type HfImportReport } from './hf-import';
export { writeHfFolder, type ExportResult } from './hf-export';
export { importHfModel, exportHfModel, IMPORT_RECORD, type HfImportRequest } from './hf-project';
export { InteropError, type LoadedTensor, type TensorMap } from './tensors';
