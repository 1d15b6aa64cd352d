import type { Lang } from './languages';
import { ERROR_MESSAGES } from './errors.messages';
import { ACCESS_ERROR_MESSAGES } from './errors-access.messages';
import { HISTORY_MESSAGES } from './history.messages';
import { INPUT_ERROR_MESSAGES } from './errors-input.messages';
import { WEB_OVERSIGHT_MESSAGES } from './web-oversight.messages';
import { WEB_MESSAGES } from './web.messages';
import { WEB_UNIT_MESSAGES } from './web-unit.messages';

/** A message in the three languages; `{name}` marks a parameter. */
export type Message = Record<Lang, string>;

/** The one catalogue: the web application's words (and, as they are translated, the API's and CLI's). */
export const CATALOGUE: Record<string, Message> = {
  ...WEB_MESSAGES, ...ERROR_MESSAGES, ...WEB_UNIT_MESSAGES, ...WEB_OVERSIGHT_MESSAGES,
  ...ACCESS_ERROR_MESSAGES, ...HISTORY_MESSAGES, ...INPUT_ERROR_MESSAGES,
};

export type MessageKey = keyof typeof WEB_MESSAGES | keyof typeof ERROR_MESSAGES | keyof typeof WEB_UNIT_MESSAGES | keyof typeof WEB_OVERSIGHT_MESSAGES | keyof typeof HISTORY_MESSAGES;

/** A parameter that is itself a message (a phrase such as "a whole number"), given in the same language. */
export interface MessageRef {
  key: string;
  params?: MessageParams;
}
export type MessageParams = Record<string, string | number | MessageRef>;

/** The message in the language, its `{name}` parameters filled; the key itself when the catalogue lacks it (a test checks none does). */
export function t(lang: Lang, key: MessageKey | string, params: MessageParams = {}): string {
  const message = CATALOGUE[key];
  if (!message) return key;
  return message[lang].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? t(lang, value.key, value.params) : String(value);
  });
}
