/**
 * Free text as it is stored: every name, note, reason, evidence reference and label goes through
 * `readText`. Pure.
 *
 * Refused: C0 controls other than tab and newline (a CR of a CRLF pair is dropped, as a browser's
 * form sends CRLF), DEL and the C1 controls, and the bidirectional embedding, override and isolate
 * characters (U+202A–U+202E, U+2066–U+2069), which make a report show text in another order than it
 * was written. Unpaired surrogates are refused too. What is kept is NFC-normalised (decomposed
 * Vietnamese renders as empty boxes in the PDFs).
 */
import { DomainError, type Problem } from '../event-sourcing/domain-error';
import { t, type MessageParams, type MessageRef } from '../i18n/translate';

const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

/** What the forbidden character is, as a phrase of the catalogue. */
function nameOf(ch: string): MessageRef {
  const code = ch.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return { key: 'phrase.unpairedSurrogate', params: { code: hex } };
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return { key: 'phrase.bidiControl', params: { code: hex } };
  return { key: 'phrase.controlCharacter', params: { code: hex } };
}

/** Why a text is refused (its catalogue entry), or null when it may be stored. */
function textRefusal(text: string): { key: string; params: MessageParams } | null {
  const found = FORBIDDEN.exec(text.replace(/\r\n/g, '\n'));
  if (!found) return null;
  return { key: 'problem.forbiddenCharacter', params: { what: nameOf(found[0]), at: found.index + 1 } };
}

/** The reason a text is refused, or null when it may be stored. */
export function textProblem(text: string): string | null {
  const refusal = textRefusal(text);
  return refusal ? t('en', refusal.key, refusal.params) : null;
}

/** A text as it is stored (CRLF → LF, NFC), or the reason it is refused (with its catalogue entry). */
export function readText(text: string): { text: string } | { problem: string; message: NonNullable<Problem['message']> } {
  const refusal = textRefusal(text);
  return refusal === null ? { text: text.replace(/\r\n/g, '\n').normalize('NFC') } : { problem: t('en', refusal.key, refusal.params), message: refusal };
}

/** Every string of a parsed document (a programme template) NFC-normalised; the refusals are the validator's, by path. */
export function nfcStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(nfcStrings);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfcStrings(v)]));
  return value;
}

/** A text field as stored, or DomainError('invalid') naming the field. */
export function storedText(field: string, text: string): string {
  const read = readText(text);
  if ('problem' in read) throw new DomainError('invalid', [{ field, reason: read.problem, message: read.message }]);
  return read.text;
}
