/**
 * A restricted reader for the pickles inside PyTorch checkpoints. It interprets the opcodes as data only: it never
 * imports or calls anything. A GLOBAL is accepted only from a short allow-list (OrderedDict, torch's tensor rebuild
 * functions and storage types), and REDUCE is understood only for the functions that rebuild a state dict; any other
 * class, function or object-building opcode makes the whole file refused.
 */
import { InteropError } from './tensors';

/** A class or function the pickle names (only allow-listed ones are ever created). */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A dict (plain or collections.OrderedDict), keys in insertion order. */
export class PickleDict {
  readonly map = new Map<unknown, unknown>();
}

/** A storage named by a persistent id: its bytes live outside the pickle (a zip entry or after it, legacy format). */
export interface StorageRef {
  readonly kind: 'storage';
  readonly dtype: string;
  readonly key: string;
  readonly numel: number;
  /** Legacy format: a view into another storage. */
  readonly view?: { readonly key: string; readonly offset: number; readonly numel: number };
}

export interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** torch storage class -> safetensors dtype name. */
export const STORAGE_DTYPES: Readonly<Record<string, string>> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

const REBUILD_TENSOR = new Set(['torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_tensor']);
const ALLOWED = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_parameter',
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch.${s}`),
]);

export function isTensorRef(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tensor';
}

function asInt(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new InteropError(`The checkpoint's ${what} is not a whole number.`);
}

function intTuple(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw new InteropError(`The checkpoint's ${what} is not a tuple of numbers.`);
  return v.map((x) => asInt(x, what));
}

/** What a persistent id names: torch's ('storage', StorageType, key, location, numel[, view_metadata]). */
function persistentLoad(pid: unknown): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof PickleGlobal)) {
    throw new InteropError('The checkpoint references external data that is not a torch storage; it was refused.');
  }
  const dtype = pid[1].module === 'torch' ? STORAGE_DTYPES[pid[1].name] : undefined;
  if (dtype === undefined) throw new InteropError(`The checkpoint holds storage of type ${pid[1].qualified}, which is not plain tensor data.`);
  const key = String(pid[2]);
  const numel = asInt(pid[4], 'storage size');
  const viewMeta = pid[5];
  if (Array.isArray(viewMeta)) {
    return { kind: 'storage', dtype, key, numel, view: { key: String(viewMeta[0]), offset: asInt(viewMeta[1], 'view offset'), numel: asInt(viewMeta[2], 'view size') } };
  }
  return { kind: 'storage', dtype, key, numel };
}

function reduce(fn: unknown, args: unknown): unknown {
  if (!(fn instanceof PickleGlobal)) throw new InteropError('The checkpoint calls something that is not an allowed function; it was refused.');
  const a = Array.isArray(args) ? args : [];
  const q = fn.qualified;
  if (q === 'collections.OrderedDict') {
    if (a.length > 0) throw new InteropError('The checkpoint builds an OrderedDict from arguments, which a state dict never does.');
    return new PickleDict();
  }
  if (REBUILD_TENSOR.has(q)) {
    const storage = a[0] as StorageRef | undefined;
    if (!storage || storage.kind !== 'storage') throw new InteropError('A tensor in the checkpoint has no storage.');
    const shape = intTuple(a[2], 'tensor shape');
    const stride = intTuple(a[3], 'tensor stride');
    if (shape.length !== stride.length) throw new InteropError('A tensor in the checkpoint has a stride that does not match its shape.');
    return { kind: 'tensor', storage, offset: asInt(a[1], 'tensor offset'), shape, stride } satisfies TensorRef;
  }
  if (q === 'torch._utils._rebuild_parameter') {
    if (!isTensorRef(a[0])) throw new InteropError('A parameter in the checkpoint holds no tensor.');
    return a[0];
  }
  throw new InteropError(`The checkpoint calls ${q}, which is not plain tensor data; it was refused.`);
}

/** Interprets one pickle starting at `start`; returns the value and where the pickle ended (after STOP). */
export function readPickle(bytes: Uint8Array, start = 0): { value: unknown; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let p = start;
  const need = (n: number): void => {
    if (p + n > bytes.length) throw new InteropError('The checkpoint pickle is truncated.');
  };
  const u8 = (): number => (need(1), bytes[p++]!);
  const u16 = (): number => (need(2), (p += 2), view.getUint16(p - 2, true));
  const u32 = (): number => (need(4), (p += 4), view.getUint32(p - 4, true));
  const i32 = (): number => (need(4), (p += 4), view.getInt32(p - 4, true));
  const u64 = (): number => (need(8), (p += 8), Number(view.getBigUint64(p - 8, true)));
  const take = (n: number): Uint8Array => (need(n), (p += n), bytes.subarray(p - n, p));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw new InteropError('The checkpoint pickle is truncated.');
    const s = latin1.decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw new InteropError('The checkpoint pickle is malformed (stack underflow).');
    return stack.pop();
  };
  const top = (): unknown => stack[stack.length - 1];
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) throw new InteropError('The checkpoint pickle is malformed (no mark).');
    return stack.splice(m);
  };
  const global = (module: string, name: string): PickleGlobal => {
    const g = new PickleGlobal(module, name);
    if (!ALLOWED.has(g.qualified)) throw new InteropError(`The checkpoint refers to ${g.qualified}, which is not plain tensor data; it was refused without running anything.`);
    return g;
  };
  const setItems = (target: unknown, items: unknown[]): void => {
    if (!(target instanceof PickleDict)) throw new InteropError('The checkpoint pickle sets items on something that is not a dict.');
    for (let i = 0; i + 1 < items.length; i += 2) target.map.set(items[i], items[i + 1]);
  };
  const long = (b: Uint8Array): number => {
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b.length > 0 && (b[b.length - 1]! & 0x80) !== 0) v -= 1n << BigInt(8 * b.length);
    return Number(v);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME
      case 0x2e: return { value: pop(), end: p }; // STOP
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x7d: stack.push(new PickleDict()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x8a: stack.push(long(take(u8()))); break; // LONG1
      case 0x47: need(8); stack.push(view.getFloat64(p, false)); p += 8; break; // BINFLOAT
      case 0x58: stack.push(text.decode(take(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(text.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(text.decode(take(u64()))); break; // BINUNICODE8
      case 0x55: stack.push(latin1.decode(take(u8()))); break; // SHORT_BINSTRING
      case 0x54: stack.push(latin1.decode(take(u32()))); break; // BINSTRING
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const idx = op === 0x68 ? u8() : u32();
        if (!memo.has(idx)) throw new InteropError('The checkpoint pickle is malformed (unknown memo entry).');
        stack.push(memo.get(idx));
        break;
      }
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = pop(); const l = top(); if (!Array.isArray(l)) throw new InteropError('The checkpoint pickle appends to a non-list.'); l.push(v); break; } // APPEND
      case 0x65: { const items = popMark(); const l = top(); if (!Array.isArray(l)) throw new InteropError('The checkpoint pickle appends to a non-list.'); l.push(...items); break; } // APPENDS
      case 0x64: { const items = popMark(); const d = new PickleDict(); setItems(d, items); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x63: { const module = line(); const name = line(); stack.push(global(module, name)); break; } // GLOBAL
      case 0x93: { const name = pop(); const module = pop(); stack.push(global(String(module), String(name))); break; } // STACK_GLOBAL
      case 0x52: { const args = pop(); const fn = pop(); stack.push(reduce(fn, args)); break; } // REDUCE
      case 0x62: { pop(); break; } // BUILD: a state dict's _metadata (OrderedDict attribute); its contents are not needed
      case 0x51: stack.push(persistentLoad(pop())); break; // BINPERSID
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      default:
        throw new InteropError(`The checkpoint pickle uses opcode 0x${op.toString(16)} at byte ${p - 1}, which a plain state dict does not; it was refused.`);
    }
  }
}
