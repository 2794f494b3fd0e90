import { describe, expect, it } from 'vitest';
import { toFormData } from '../../src/core/request/form-data.js';

describe('toFormData', () => {
  it('writes plain fields first and files last, whatever the order they were given in', () => {
    const form = toFormData({ file: new File(['x'], 'a.txt'), key: 'attaches/${filename}', policy: 'p', size: 3 });
    expect([...form.keys()]).toEqual(['key', 'policy', 'size', 'file']);
    expect(form.get('size')).toBe('3');
  });

  it('passes a FormData through and skips absent fields', () => {
    const given = new FormData();
    expect(toFormData(given)).toBe(given);
    expect([...toFormData({ a: undefined, b: null, c: 'x' }).keys()]).toEqual(['c']);
  });
});
