import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { createDotProducts, DOT_PRODUCTS_WASM } from '../../server/search/wasm/dot-products.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

function randomVector(dimensions: number, seed: number): Float32Array {
  // A fixed sequence, so a failure can be run again.
  let state = seed;
  return Float32Array.from({ length: dimensions }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648 - 0.5;
  });
}

describe('the vector index\'s dot products in WebAssembly', () => {
  it('runs the module its source, dot-products.wat, compiles to', async () => {
    const wabt = await wabtInit();
    const source = readFileSync(new URL('../../server/search/wasm/dot-products.wat', import.meta.url), 'utf8');
    const { buffer } = wabt.parseWat('dot-products.wat', source, { simd: true }).toBinary({});
    expect(Buffer.from(buffer).toString('base64')).toBe(DOT_PRODUCTS_WASM);
  });

  it.each([100, 7, 1])('scores every row against the query, %i dimensions (padded to whole lanes)', (dimensions) => {
    const products = createDotProducts(dimensions, 2);
    const rows = Array.from({ length: 50 }, (_, i) => randomVector(dimensions, i + 1));
    rows.forEach((row, i) => products.setRow(i, row));
    const query = randomVector(dimensions, 999);
    const scores = products.dots(query, rows.length);
    expect(scores).toHaveLength(rows.length);
    rows.forEach((row, i) => expect(scores[i]).toBeCloseTo(dot(query, row), 5));
  });

  it('keeps the rows it has when it grows, and a row written again replaces the old one', () => {
    const products = createDotProducts(4, 1);
    products.setRow(0, Float32Array.of(1, 0, 0, 0));
    // Past the first page of memory: 20,000 rows of 16 bytes.
    for (let i = 1; i < 20_000; i++) products.setRow(i, Float32Array.of(0, i, 0, 0));
    products.setRow(3, Float32Array.of(0, 0, 5, 0));
    const scores = products.dots(Float32Array.of(2, 1, 1, 0), 20_000);
    expect([scores[0], scores[1], scores[3], scores[19_999]]).toEqual([2, 1, 5, 19_999]);
    // Only the rows asked for are scored.
    expect(products.dots(Float32Array.of(1, 1, 1, 1), 2)).toEqual(Float32Array.of(1, 1));
  });
});
