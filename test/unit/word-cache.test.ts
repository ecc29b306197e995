import { describe, expect, it } from 'vitest';
import { createWordCache } from '../../server/search/word-cache.js';

describe('word cache', () => {
  it('looks a correction up again once any document has been indexed, and only the words it does not know', async () => {
    const index = { changes: 0, size: 1000 };
    const cache = createWordCache(() => index);
    const asked: string[][] = [];
    const compute = async (words: readonly string[]) => {
      asked.push([...words]);
      return new Map(words.map((w) => [w, [`${w}-fixed`]]));
    };
    expect(await cache.corrections(['housng'], compute)).toEqual(new Map([['housng', ['housng-fixed']]]));
    expect(await cache.corrections(['housng', 'repiars'], compute)).toEqual(new Map([['housng', ['housng-fixed']], ['repiars', ['repiars-fixed']]]));
    index.changes = 1;
    await cache.corrections(['housng'], compute);
    expect(asked).toEqual([['housng'], ['repiars'], ['housng']]);
  });

  it('keeps a word weight until a hundredth of the index has changed', async () => {
    const index = { changes: 0, size: 1000 };
    const cache = createWordCache(() => index);
    let computed = 0;
    const compute = async () => [++computed];
    expect(await cache.weights('["bins"]', compute)).toEqual([1]);
    index.changes = 10;
    expect(await cache.weights('["bins"]', compute)).toEqual([1]);
    index.changes = 11;
    expect(await cache.weights('["bins"]', compute)).toEqual([2]);
    expect(await cache.weights('["repairs"]', compute)).toEqual([3]);
  });

  it('keeps a sample until a hundredth of the index has changed, and keeps far fewer samples than words', async () => {
    const index = { changes: 0, size: 1000 };
    const cache = createWordCache(() => index, 40);
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    expect(await cache.sample('bins', compute)).toEqual({ n: 1 });
    index.changes = 10;
    expect(await cache.sample('bins', compute)).toEqual({ n: 1 });
    index.changes = 11;
    expect(await cache.sample('bins', compute)).toEqual({ n: 2 });
    // Two samples fit beside 40 words: a third drops the older half (the first).
    await cache.sample('repairs', compute);
    await cache.sample('forms', compute);
    expect(await cache.sample('repairs', compute)).toEqual({ n: 3 });
    expect(await cache.sample('bins', compute)).toEqual({ n: 5 });
  });

  it('drops its oldest entries when full', async () => {
    const cache = createWordCache(() => ({ changes: 0, size: 0 }), 4);
    let computed = 0;
    const compute = async () => [++computed];
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.weights(key, compute);
    await cache.weights('e', compute);
    await cache.weights('a', compute);
    expect(computed).toBe(6);
  });
});
