/**
 * Stream names are `<category>-<ids joined by '.'>`. The category has no '-' (EventStoreDB's
 * convention: the category is what precedes the first '-'); ids are kept verbatim so that two
 * different ids never share a stream. Nothing parses a stream name: events name their own ids.
 */
export function streamName(category: string, ...ids: string[]): string {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(category)) throw new Error(`stream category "${category}" must be letters and digits`);
  if (ids.length === 0 || ids.some((id) => id.length === 0)) throw new Error('a stream needs a non-empty id');
  return `${category}-${ids.join('.')}`;
}
