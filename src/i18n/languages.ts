/** The three languages of the product's people: 简体中文, Tiếng Việt, English. */
export const LANGS = ['zh', 'vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const isLang = (value: unknown): value is Lang => typeof value === 'string' && (LANGS as readonly string[]).includes(value);

export const LANG_NAMES: Record<Lang, string> = { zh: '简体中文', vi: 'Tiếng Việt', en: 'English' };

/** The language a programme is written in, from its language tag (zh-CN, vi-VN); English otherwise. */
export function langOfTag(tag: string | null | undefined): Lang {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return isLang(primary) ? primary : 'en';
}

/** The best of the three for an Accept-Language header (q-values honoured), or null. */
export function langFromAcceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.lang).find(isLang) ?? null;
}
