import { DomainError } from '../../../src/event-sourcing/domain-error';
import { readText, storedText, textProblem } from '../../../src/input/text';

describe('free text', () => {
  it('keeps printable text, tabs and line breaks, NFC-normalised; a CRLF becomes a LF', () => {
    expect(readText('Đã hoàn thành\tđúng hạn\n粤电〔2021〕12号')).toEqual({ text: 'Đã hoàn thành\tđúng hạn\n粤电〔2021〕12号' });
    const decomposed = 'Đa\u0303 hoa\u0300n tha\u0300nh';
    expect(readText(decomposed)).toEqual({ text: 'Đã hoàn thành' });
    expect(readText('line one\r\nline two')).toEqual({ text: 'line one\nline two' });
  });

  it.each([
    ['\u0000', 'the control character U+0000'],
    ['\u0007', 'the control character U+0007'],
    ['\r', 'the control character U+000D'],
    ['\u001b', 'the control character U+001B'],
    ['\u007f', 'the control character U+007F'],
    ['\u0085', 'the control character U+0085'],
    ['\u009f', 'the control character U+009F'],
    ['\u202a', 'the bidirectional control U+202A'],
    ['\u202e', 'the bidirectional control U+202E'],
    ['\u2066', 'the bidirectional control U+2066'],
    ['\u2069', 'the bidirectional control U+2069'],
    ['\ud800', 'an unpaired surrogate (U+D800)'],
  ])('refuses %j, naming it and where it is', (ch, name) => {
    expect(textProblem(`ab${ch}c`)).toBe(`holds ${name} at character 3: only printable text, tabs and line breaks are accepted`);
  });

  it('accepts the characters next to the refused ranges (U+00A0, U+2029 is not refused, U+206A)', () => {
    for (const ch of ['\u00a0', '\u2029', '\u206a', '\u200f', '😀']) expect(textProblem(`a${ch}b`)).toBeNull();
  });

  it('storedText names the field in a DomainError', () => {
    expect(storedText('name', 'Sở Công Thương')).toBe('Sở Công Thương');
    let error: unknown;
    try {
      storedText('name', 'evil\u202etxt.exe');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).problems).toMatchObject([{ field: 'name', reason: expect.stringContaining('U+202E') }]);
  });
});
