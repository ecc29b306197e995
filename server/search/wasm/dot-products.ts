/**
 * The vector index's one hot loop, query · row for every row, in WebAssembly SIMD: four
 * multiplications per instruction, about six times the plain JavaScript loop on this
 * machine (2 ms against 13 ms for 100,000 rows of 100 dimensions). The rows live in the
 * module's memory: [query][matrix of `capacity` rows][one score per row].
 *
 * Compiled from dot-products.wat (which reads as the source); test/unit/dot-products.test.ts
 * recompiles it with wabt and checks the bytes are these.
 */
export const DOT_PRODUCTS_WASM = 'AGFzbQEAAAABCQFgBX9/f39/AAMCAQAFAwEAAQcRAgZtZW1vcnkCAARkb3RzAAAKnQEBmgECBH8BeyADQQJ0IQcgASEIAkADQCAFIAJPDQH9DAAAAAAAAAAAAAAAAAAAAAAhCUEAIQYCQANAIAYgB08NASAJIAAgBmr9AAQAIAggBmr9AAQA/eYB/eQBIQkgBkEQaiEGDAALCyAEIAVBAnRqIAn9HwAgCf0fAZIgCf0fAiAJ/R8DkpI4AgAgCCAHaiEIIAVBAWohBQwACwsL';

const PAGE_BYTES = 65_536;

export interface DotProducts {
  /** Rows stored so far can be overwritten; more make the matrix grow. */
  setRow(row: number, vector: Float32Array): void;
  /** query · each of the first `rows` rows: a view that the next call reuses. */
  dots(query: Float32Array, rows: number): Float32Array;
}

export function createDotProducts(dimensions: number, initialRows = 1024): DotProducts {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(DOT_PRODUCTS_WASM, 'base64')));
  const memory = exports.memory as WebAssembly.Memory;
  const kernel = exports.dots as (query: number, matrix: number, rows: number, stride: number, out: number) => void;
  // Rows padded to whole lanes of four; the padding stays zero.
  const stride = Math.ceil(dimensions / 4) * 4;
  const matrixAt = stride * 4;
  let capacity = 0;
  let floats = new Float32Array(memory.buffer);
  const outAt = () => matrixAt + capacity * stride * 4;

  // The matrix grows at its end, so stored rows stay where they are; only the scores move.
  function reserve(rows: number) {
    if (rows <= capacity) return;
    const next = Math.max(rows, capacity * 2, initialRows);
    const bytes = matrixAt + next * stride * 4 + next * 4;
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    capacity = next;
    floats = new Float32Array(memory.buffer);
  }
  reserve(initialRows);

  return {
    setRow(row, vector) {
      reserve(row + 1);
      floats.set(vector.subarray(0, dimensions), (matrixAt >> 2) + row * stride);
    },
    dots(query, rows) {
      floats.set(query.subarray(0, dimensions), 0);
      kernel(0, matrixAt, rows, stride, outAt());
      return floats.subarray(outAt() >> 2, (outAt() >> 2) + rows);
    },
  };
}
