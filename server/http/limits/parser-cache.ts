import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** An LRU map whose budget is the total length of its keys, the documents' text. */
export class TextKeyedCache<T> {
  private readonly entries = new Map<string, T>();
  private total = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.delete(key);
    // One document may not push out more than a quarter of the others.
    if (key.length > this.maxChars / 4) return;
    this.entries.set(key, value);
    this.total += key.length;
    for (const oldest of this.entries.keys()) {
      if (this.total <= this.maxChars) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.total -= key.length;
  }

  get chars(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * yoga keeps parsed documents (and, by document, their validation results) in LRU caches of
 * 1,024 entries. A parsed document weighs up to 100 times its text: 2,000 tokens of distinct
 * field names make 950 KB of AST, and its validation errors (with stack traces) 750 KB more,
 * so 1,024 distinct hostile documents would pin over a gigabyte. These caches are bounded by
 * the total length of the text instead, and a document that fails validation is dropped at
 * once: it will be refused again anyway, and a client repeating it pays for the parse.
 */
export function createParserCache(maxChars: number) {
  const documentCache = new TextKeyedCache<DocumentNode>(maxChars);
  const errorCache = new TextKeyedCache<unknown>(maxChars);
  const plugin: Plugin = {
    onValidate({ params }) {
      return ({ valid }) => {
        const text = params.documentAST.loc?.source.body;
        if (!valid && text !== undefined) documentCache.delete(text);
      };
    },
  };
  return { documentCache, errorCache, plugin };
}

export type ParserCache = ReturnType<typeof createParserCache>;
