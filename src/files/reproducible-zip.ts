/**
 * Re-packs a zip (an xlsx) so its bytes depend on its content only: every entry dated `date`, no
 * directory entries, a fixed order ([Content_Types].xml first, as Office writes it, then by name)
 * and DEFLATE at a fixed level. exceljs stamps entries with the wall clock, hence this step.
 * jszip comes with exceljs (which packs with it); it is not a direct dependency of ours.
 */
import JSZip from 'jszip';

const FIRST = '[Content_Types].xml';

export async function repackZip(zip: Buffer, date: Date): Promise<Buffer> {
  const source = await JSZip.loadAsync(zip);
  const names = Object.keys(source.files).filter((n) => !source.files[n].dir);
  names.sort((a, b) => (a === FIRST ? -1 : b === FIRST ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const out = new JSZip();
  for (const name of names) {
    out.file(name, await source.files[name].async('nodebuffer'), { date, createFolders: false, binary: true });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}
