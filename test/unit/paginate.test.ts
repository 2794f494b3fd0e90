import { describe, expect, it } from 'vitest';
import { ClientError } from '../../src/core/errors/errors.js';
import { paginate } from '../../src/core/pagination/paginate.js';

describe('paginate', () => {
  it('fetches pages lazily, only as the consumer asks for items', async () => {
    const fetched: (string | undefined)[] = [];
    const pages: Record<string, { items: number[]; next?: string }> = {
      first: { items: [1, 2], next: 'b' },
      b: { items: [3], next: 'c' },
      c: { items: [4] },
    };
    const iterator = paginate({
      operationId: 'listThings',
      fetchPage: async (cursor: string | undefined) => {
        fetched.push(cursor);
        return pages[cursor ?? 'first'] as { items: number[]; next?: string };
      },
      items: (page) => page.items,
      nextCursor: (page) => page.next,
    });
    expect(fetched).toEqual([]);
    const seen: number[] = [];
    for await (const item of iterator) {
      seen.push(item);
      if (item === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(fetched).toEqual([undefined, 'b']);
  });

  it('stops with an error when the server repeats a cursor', async () => {
    const iterator = paginate({
      operationId: 'listThings',
      fetchPage: async () => ({ items: [1] }),
      items: (page: { items: number[] }) => page.items,
      nextCursor: () => 'same',
    });
    await expect(async () => {
      for await (const _ of iterator) void _;
    }).rejects.toThrow(ClientError);
  });
});
