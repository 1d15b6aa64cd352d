import { DomainError } from '../../../src/event-sourcing/domain-error';
import { duplicateKeyPath, parseJsonText } from '../../../src/input/json';

describe('duplicate JSON keys', () => {
  it('finds a repeated key at any depth, named by its path', () => {
    expect(duplicateKeyPath('{"value":1,"value":2}')).toBe('value');
    expect(duplicateKeyPath('{"dimensions":{"service":"a","service":"b"}}')).toBe('dimensions.service');
    expect(duplicateKeyPath('{"a":[{"x":1},{"y":1,"y":2}]}')).toBe('a[1].y');
    expect(duplicateKeyPath('[{"k":1},{"k":2,"k":3}]')).toBe('[1].k');
    expect(duplicateKeyPath('{"a":{"b":{"c":{"d":1,"d":1}}}}')).toBe('a.b.c.d');
  });

  it('compares keys as JSON.parse reads them (escapes), not as written', () => {
    expect(duplicateKeyPath('{"value":1,"\\u0076alue":2}')).toBe('value');
    expect(duplicateKeyPath('{"a\\"b":1,"a\\u0022b":2}')).toBe('a"b');
  });

  it('does not confuse equal keys of different objects, or keys with values', () => {
    expect(duplicateKeyPath('{"a":{"x":1},"b":{"x":1},"x":"x"}')).toBeNull();
    expect(duplicateKeyPath('{"note":"{\\"a\\":1,\\"a\\":2}","evidence":["a","a"]}')).toBeNull();
    expect(duplicateKeyPath('{"a":[1,2,{"a":1}],"b":{"a":[{"a":1}]}}')).toBeNull();
  });

  it('survives deep nesting and malformed text without throwing', () => {
    expect(duplicateKeyPath('['.repeat(100_000))).toBeNull();
    expect(duplicateKeyPath('{"a":1,"a')).toBeNull();
    expect(duplicateKeyPath('')).toBeNull();
  });

  it('parseJsonText names the key, or the field for malformed JSON', () => {
    const problems = (text: string) => {
      try {
        parseJsonText(text, '(line)');
      } catch (error) {
        return (error as DomainError).problems;
      }
      return [];
    };
    expect(problems('{"value":1,"value":2}')).toMatchObject([{ field: 'value', reason: 'is given more than once in one object: each key may appear once' }]);
    expect(problems('{"value":')).toMatchObject([{ field: '(line)', reason: expect.stringMatching(/^not valid JSON/) }]);
    expect(parseJsonText('{"value":1}', '(line)')).toEqual({ value: 1 });
  });
});
