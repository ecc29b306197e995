import { describe, expect, it } from 'vitest';
import { parsePosition } from '../../server/events/event-feed.js';
import { ValidationError } from '../../server/kernel/errors.js';

describe('an event position given by a client', () => {
  it.each<[string | number, number]>([['0', 0], [0, 0], ['42', 42], [42, 42], ['9007199254740991', Number.MAX_SAFE_INTEGER], ['0000000000000042', 42], [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]])(
    'accepts %j as %d', (given, expected) => {
      expect(parsePosition(given, 'after')).toBe(expected);
    });

  it.each<string | number>(['-1', -1, '1.5', 1.5, '', ' 7', '7 ', 'x7', '7x', '1e3', '0x10', '9007199254740992', '00000000000000042', 2 ** 53, Number.NaN, Infinity])(
    'refuses %j, naming the field', (given) => {
      let error: unknown;
      try { parsePosition(given, 'before'); } catch (caught) { error = caught; }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields).toEqual([{ field: 'before', message: 'must be an event position (a whole number from 0)' }]);
    });
});
