/**
 * PyTorch's `torch.save` files (pytorch_model.bin) read as data: the zip format (torch >= 1.6: `<prefix>/data.pkl`,
 * `<prefix>/data/<key>` raw storages, `<prefix>/byteorder`) and the legacy format (five pickles — magic number, protocol,
 * system info, the object, storage keys — followed by each storage as an int64 count and raw bytes). The pickles go
 * through the restricted reader in `pickle.ts`; nothing is executed.
 */
import { isZip, ZipArchive } from './zip';
import { PickleDict, isTensorRef, readPickle, type StorageRef, type TensorRef } from './pickle';
import { DTYPE_BYTES, InteropError, type LoadedTensor, type TensorMap, decodeFloats, numel } from './tensors';

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6c;

/** The tensors of a state dict: string keys -> tensors; nested {"state_dict": ...} / {"model": ...} are unwrapped. */
function stateDictOf(root: unknown): Map<string, TensorRef> {
  let obj = root;
  for (let depth = 0; depth < 2 && obj instanceof PickleDict; depth++) {
    const inner = obj.map.get('state_dict') ?? obj.map.get('model');
    if (inner instanceof PickleDict && ![...obj.map.values()].some(isTensorRef)) obj = inner;
    else break;
  }
  if (!(obj instanceof PickleDict)) throw new InteropError('pytorch_model.bin does not hold a state dict (a mapping of names to tensors).');
  const out = new Map<string, TensorRef>();
  for (const [k, v] of obj.map) {
    if (typeof k !== 'string') throw new InteropError('pytorch_model.bin has a state dict key that is not a string.');
    if (isTensorRef(v)) out.set(k, v);
  }
  if (out.size === 0) throw new InteropError('pytorch_model.bin holds no tensors.');
  return out;
}

/** Gathers a (possibly strided) tensor from its storage bytes. */
function materialize(name: string, t: TensorRef, storageBytes: Uint8Array): LoadedTensor {
  const dtype = t.storage.dtype;
  const size = DTYPE_BYTES[dtype] ?? 1;
  const count = numel(t.shape);
  const available = storageBytes.byteLength / size;
  const contiguous = t.stride.every((s, i) => s === t.shape.slice(i + 1).reduce((n, d) => n * d, 1));
  if (contiguous || count === 0) {
    if (t.offset + count > available) throw new InteropError(`Tensor ${name} reaches past the end of its storage.`);
    return { dtype, shape: t.shape, values: decodeFloats(storageBytes, t.offset * size, count, dtype) };
  }
  const all = decodeFloats(storageBytes, 0, available, dtype);
  if (!all) return { dtype, shape: t.shape, values: null };
  const out = new Float32Array(count);
  const idx = new Array<number>(t.shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    let src = t.offset;
    for (let d = 0; d < idx.length; d++) src += (idx[d] ?? 0) * (t.stride[d] ?? 0);
    if (src >= available) throw new InteropError(`Tensor ${name} reaches past the end of its storage.`);
    out[i] = all[src] ?? 0;
    for (let d = idx.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] ?? 0) + 1;
      if ((idx[d] ?? 0) < (t.shape[d] ?? 1)) break;
      idx[d] = 0;
    }
  }
  return { dtype, shape: t.shape, values: out };
}

function readZipFormat(bytes: Uint8Array): TensorMap {
  const zip = new ZipArchive(bytes, 'pytorch_model.bin');
  const pkl = [...zip.entries.keys()].find((n) => n.endsWith('/data.pkl') || n === 'data.pkl');
  if (!pkl) throw new InteropError('pytorch_model.bin is a zip archive without data.pkl, so it is not a torch.save file.');
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const order = zip.entries.get(`${prefix}byteorder`);
  if (order && new TextDecoder().decode(zip.read(order.name)).trim() !== 'little') {
    throw new InteropError('pytorch_model.bin was saved on a big-endian machine; re-save it on a little-endian one.');
  }
  const refs = stateDictOf(readPickle(zip.read(pkl)).value);
  const tensors: TensorMap = new Map();
  const cache = new Map<string, Uint8Array>();
  for (const [name, t] of refs) {
    const key = t.storage.key;
    let data = cache.get(key);
    if (!data) {
      data = zip.read(`${prefix}data/${key}`);
      cache.set(key, data);
    }
    tensors.set(name, materialize(name, t, data));
  }
  return tensors;
}

function readLegacyFormat(bytes: Uint8Array): TensorMap {
  let at = 0;
  const next = (): unknown => {
    const r = readPickle(bytes, at);
    at = r.end;
    return r.value;
  };
  const magic = next();
  if (typeof magic !== 'number' || Math.abs(magic - LEGACY_MAGIC) > 1e6) {
    throw new InteropError('pytorch_model.bin is neither a zip archive nor a legacy torch.save file.');
  }
  next(); // protocol version
  next(); // system info (dict of plain values)
  const refs = stateDictOf(next());
  const keys = next();
  if (!Array.isArray(keys)) throw new InteropError('pytorch_model.bin (legacy format) has no list of storages.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const storages = new Map<string, Uint8Array>();
  const dtypes = new Map<string, string>();
  for (const t of refs.values()) dtypes.set(t.storage.view?.key ?? t.storage.key, t.storage.dtype);
  for (const k of keys) {
    const key = String(k);
    if (at + 8 > bytes.length) throw new InteropError('pytorch_model.bin (legacy format) is truncated.');
    const count = Number(view.getBigInt64(at, true));
    at += 8;
    const size = DTYPE_BYTES[dtypes.get(key) ?? 'F32'] ?? 4;
    if (at + count * size > bytes.length) throw new InteropError('pytorch_model.bin (legacy format) is truncated.');
    storages.set(key, bytes.subarray(at, at + count * size));
    at += count * size;
  }
  const tensors: TensorMap = new Map();
  for (const [name, t] of refs) {
    const s: StorageRef = t.storage;
    let data = storages.get(s.view?.key ?? s.key);
    if (!data) throw new InteropError(`pytorch_model.bin (legacy format) lacks the storage of ${name}.`);
    if (s.view) {
      const size = DTYPE_BYTES[s.dtype] ?? 4;
      data = data.subarray(s.view.offset * size, (s.view.offset + s.view.numel) * size);
    }
    tensors.set(name, materialize(name, t, data));
  }
  return tensors;
}

export function readTorchBin(bytes: Uint8Array): TensorMap {
  if (isZip(bytes)) return readZipFormat(bytes);
  if (bytes.length > 2 && bytes[0] === 0x80) return readLegacyFormat(bytes);
  throw new InteropError('pytorch_model.bin is neither a zip archive nor a pickle, so it is not a torch.save file.');
}
