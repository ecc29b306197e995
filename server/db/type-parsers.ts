import pg from 'pg';

// Typed `number`, not as literals: pg's TypeId enum lists no array types, and a plain number
// is what its parser registry takes.
export const INT8_OID: number = 20;
export const TEXT_ARRAY_OID: number = 1009;
export const TIMESTAMPTZ_OID: number = 1184;

const defaultTimestamptz: (value: string) => Date = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text');
const defaultTextArray: (value: string) => (string | null)[] = pg.types.getTypeParser(TEXT_ARRAY_OID, 'text');

/**
 * pg's parsers for timestamptz (a regular expression per value) and text[] (a character-by-
 * character state machine) were a tenth of a listing request's CPU: a page of 20 problems
 * parses 80 timestamps and 20 tag lists. These read the plain shapes PostgreSQL prints for
 * our data directly and hand anything else (BC dates, infinity, years before 1000, escaped
 * array elements, nested arrays) to pg's own parser, so the results are the same.
 */
export function parseTimestamptz(value: string): Date {
  // YYYY-MM-DD HH:MM:SS[.f{1,6}]±HH[:MM]
  const length = value.length;
  if (length < 22 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 32
    || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || value.charCodeAt(0) === 48) {
    return defaultTimestamptz(value);
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  let at = 19;
  let ms = 0;
  if (value.charCodeAt(at) === 46) {
    let scale = 100;
    at++;
    for (; at < length && isDigit(value.charCodeAt(at)); at++) {
      ms += (value.charCodeAt(at) - 48) * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  const sign = value.charCodeAt(at) === 43 ? 1 : value.charCodeAt(at) === 45 ? -1 : 0;
  const offsetHours = digits(value, at + 1, 2);
  const offsetMinutes = at + 3 === length ? 0 : value.charCodeAt(at + 3) === 58 && at + 6 === length ? digits(value, at + 4, 2) : Number.NaN;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms) - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return sign === 0 || Number.isNaN(time) ? defaultTimestamptz(value) : new Date(time);
}

export function parseTextArray(value: string): (string | null)[] {
  const end = value.length - 1;
  if (value.charCodeAt(0) !== 123 || value.charCodeAt(end) !== 125) return defaultTextArray(value);
  if (end === 1) return [];
  const items: (string | null)[] = [];
  let at = 1;
  while (at < end) {
    let item: string | null;
    if (value.charCodeAt(at) === 34) {
      // A quoted element ("damp and mould"); one with an escape inside goes to pg's parser.
      const close = value.indexOf('"', at + 1);
      item = value.slice(at + 1, close);
      if (close < 0 || item.includes('\\')) return defaultTextArray(value);
      at = close + 1;
    } else {
      let stop = at;
      for (; stop < end; stop++) {
        const code = value.charCodeAt(stop);
        if (code === 44) break;
        // Escapes and nested arrays need pg's full parser.
        if (code === 92 || code === 123 || code === 34) return defaultTextArray(value);
      }
      item = value.slice(at, stop);
      if (item === 'NULL') item = null;
      at = stop;
    }
    items.push(item);
    if (at < end && value.charCodeAt(at) !== 44) return defaultTextArray(value);
    at++;
  }
  return items;
}

function digits(value: string, from: number, count: number): number {
  let n = 0;
  for (let at = from; at < from + count; at++) {
    const code = value.charCodeAt(at);
    if (!isDigit(code)) return Number.NaN;
    n = n * 10 + code - 48;
  }
  return n;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
