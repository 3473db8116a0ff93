/**
 * Turns what a user types into a safe FTS5 query: every word becomes a quoted prefix term, so
 * operators and quotes in the input are searched for rather than interpreted.
 */
export function toFtsQuery(input: string): string {
  const words = input.match(/[\p{L}\p{N}_]+/gu) ?? []
  return words.map((w) => `"${w}"*`).join(' ')
}
