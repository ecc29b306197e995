import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId } from '../../server/kernel/global-id.js';

const TYPENAME = /^[A-Z][A-Za-z]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const typename = fc.stringMatching(TYPENAME);

function decoded(globalId: string): { typename: string; id: string } | GraphQLError {
  try {
    return decodeGlobalId(globalId);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }
}

describe('global IDs (property-based)', () => {
  it('decode(encode(type, uuid)) gives back the type and the lower-case uuid', () => {
    fc.assert(fc.property(typename, fc.uuid(), fc.boolean(), (type, uuid, upper) => {
      const id = encodeGlobalId(type, upper ? uuid.toUpperCase() : uuid);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeGlobalId(id)).toEqual({ typename: type, id: uuid.toLowerCase() });
    }), { numRuns: 2_000 });
  });

  it('answers any string with a valid ID or an INVALID_ID error, never anything else', () => {
    const base64ish = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_='.split('')), maxLength: 260 });
    const nearMiss = fc.tuple(fc.string({ maxLength: 70 }), fc.constantFrom(':', '::', ''), fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })))
      .map(([t, sep, id]) => Buffer.from(`${t}${sep}${id}`, 'utf8').toString('base64url'));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), base64ish, nearMiss), (input) => {
      const result = decoded(input);
      if (result instanceof GraphQLError) {
        expect(result.extensions.code).toBe('INVALID_ID');
        // The echo is bounded, so a megabyte of garbage does not come back in the error.
        expect(result.message.length).toBeLessThanOrEqual(100 + 30);
        return;
      }
      expect(result.typename).toMatch(TYPENAME);
      expect(result.id).toMatch(UUID);
      expect(decodeGlobalId(encodeGlobalId(result.typename, result.id))).toEqual(result);
    }), { numRuns: 5_000 });
  });

  it('refuses an ID whose type or uuid has been tampered with', () => {
    fc.assert(fc.property(typename, fc.uuid(), fc.integer({ min: 0, max: 35 }), fc.constantFrom('g', 'Z', ':', ' ', ''), (type, uuid, at, junk) => {
      const tampered = uuid.slice(0, at) + junk + uuid.slice(at + 1);
      const result = decoded(encodeGlobalId(type, tampered));
      if (UUID.test(tampered.toLowerCase())) expect(result).toEqual({ typename: type, id: tampered.toLowerCase() });
      else expect(result).toBeInstanceOf(GraphQLError);
    }), { numRuns: 2_000 });
  });
});
