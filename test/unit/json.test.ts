import { describe, expect, it } from 'vitest';
import { compileInt64Paths, parseJson } from '../../src/core/exchange/json.js';

const paths = (...dotted: string[]) => compileInt64Paths(dotted);

describe('parseJson', () => {
  it('is plain JSON.parse for an operation without int64 fields', () => {
    expect(parseJson('{"a":1,"b":[2.5]}')).toEqual({ a: 1, b: [2.5] });
  });

  it('keeps every digit of an int64 above Number.MAX_SAFE_INTEGER', () => {
    const text = '{"messages":[{"message":{"seq":98211023614189660,"mid":"mid:C3ecb9d02a600.15cea67d78d2059"},"timestamp":1498581292941}]}';
    expect(parseJson(text, paths('messages.[].message.seq', 'messages.[].timestamp'))).toEqual({
      messages: [{ message: { seq: '98211023614189660', mid: 'mid:C3ecb9d02a600.15cea67d78d2059' }, timestamp: '1498581292941' }],
    });
  });

  it('keeps negative int64 values exact', () => {
    expect(parseJson('{"v":-9223372036854775808}', paths('v'))).toEqual({ v: '-9223372036854775808' });
  });

  it('leaves digits inside strings, escaped quotes included, untouched', () => {
    const text = '{"text":"id \\"12345678901234567890\\" end","n":12345678901234567890}';
    expect(parseJson(text, paths('n'))).toEqual({ text: 'id "12345678901234567890" end', n: '12345678901234567890' });
  });

  it('turns a long integer outside an int64 field back into a number, as its schema says', () => {
    expect(parseJson('{"big":12345678901234567890,"id":1}', paths('id'))).toEqual({ big: 12345678901234567000, id: '1' });
  });

  it('does not touch decimals or exponents', () => {
    expect(parseJson('{"a":1234567890123456.5,"b":1e21,"id":2}', paths('id'))).toEqual({ a: 1234567890123456.5, b: 1e21, id: '2' });
  });

  it('follows map values and nested arrays', () => {
    const text = '{"participants":{"user:1":1498581292941,"user:2":98211023614189660},"grid":[[1,2],[3]]}';
    expect(parseJson(text, paths('participants.{}', 'grid.[].[]'))).toEqual({
      participants: { 'user:1': '1498581292941', 'user:2': '98211023614189660' },
      grid: [['1', '2'], ['3']],
    });
  });

  it('leaves null and absent int64 fields as they are', () => {
    expect(parseJson('{"thread":null,"x":{}}', paths('thread.id', 'x.id', 'y'))).toEqual({ thread: null, x: {} });
  });

  it('throws a SyntaxError for text that is not JSON (the client turns it into a typed error)', () => {
    expect(() => parseJson('<html>', paths('a'))).toThrow(SyntaxError);
  });
});

describe('parseJson edge cases of the slow path', () => {
  it('does not mistake the digits of a long exponent or fraction for an integer', () => {
    const text = '{"id":98211023614189660,"x":1e12345678901234567,"y":0.12345678901234567}';
    expect(parseJson(text, compileInt64Paths(['id']))).toEqual({ id: '98211023614189660', x: Infinity, y: 0.12345678901234567 });
  });
});
