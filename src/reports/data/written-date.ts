/** Local date as the programme's language writes it: 2021年7月10日 / 10/07/2021. */
export function writtenDate(date: string | null, language: string): string | null {
  if (!date) return null;
  const [y, m, d] = date.split('-').map(Number);
  return language === 'vi' ? `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}` : `${y}年${m}月${d}日`;
}
