/**
 * Cutting prose (doc comments, docstrings, narration) so that what is left
 * reads as words: at the end of a sentence when one ends late enough, else at
 * the end of a word, and only inside a word when the text has no space to cut
 * at. Payloads are cut elsewhere, at the exact character (`wire/text.ts`).
 * Pure string functions.
 */

/** Shortest share of `max` a cut keeps before it would rather cut at a word than at a sentence, or inside a word than at one. */
const SENTENCE_SHARE = 0.5;
const WORD_SHARE = 0.4;

/** Punctuation left dangling at a word cut (`a list,` → `a list`). */
const DANGLING = /[\s,;:(\u2014\u2013-]+$/u;

function isSpace(c: string | undefined): boolean {
  return c !== undefined && /\s/u.test(c);
}

/** Where `text` (longer than `max`) is cut: the length of the head kept, and whether it ends with a whole word. */
export function cutPoint(text: string, max: number): { readonly at: number; readonly whole: boolean } {
  const limit = Math.max(1, Math.floor(max));
  // A sentence end: `.`, `!` or `?` followed by a space, within the limit.
  for (let i = limit - 1; i >= Math.floor(limit * SENTENCE_SHARE); i--) {
    if (".!?".includes(text[i]) && isSpace(text[i + 1])) return { at: i + 1, whole: true };
  }
  // A word end: the last space at or before the limit, dangling punctuation dropped.
  for (let i = limit; i > 0; i--) {
    if (!isSpace(text[i]) || isSpace(text[i - 1])) continue;
    const at = text.slice(0, i).replace(DANGLING, "").length;
    if (at < limit * WORD_SHARE) break;
    return { at, whole: true };
  }
  // One long word: cut inside it, never between the halves of a surrogate pair.
  const c = text.charCodeAt(limit - 1);
  return { at: c >= 0xd800 && c <= 0xdbff ? limit - 1 : limit, whole: false };
}

/**
 * `text` cut to at most `max` characters (plus the mark) at a sentence or
 * word end, with `… N more` counting the characters left out; text that fits
 * is returned as it is.
 *
 * @example
 * cutProse("The second argument is a function that needs to be called.", 30);
 * // "The second argument is a … 33 more"
 */
export function cutProse(text: string, max: number): string {
  if (text.length <= max) return text;
  const { at, whole } = cutPoint(text, max);
  const rest = text.slice(at).replace(/^\s+/u, "");
  if (!rest) return text.slice(0, at);
  // A space before the mark: the head ends with a whole word, not a cut one.
  return `${text.slice(0, at)}${whole ? " " : ""}… ${rest.length} more`;
}

/**
 * The first sentence of a narration, for a one-line overview: cut at a word
 * (with `…`) when even that sentence is longer than `max`.
 *
 * @example
 * leadSentence("Node has no run(): listen binds the socket. Then engine.io…", 80);
 * // "Node has no run(): listen binds the socket."
 */
export function leadSentence(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, " ").trim();
  // A sentence ends at `.`, `!` or `?` before a space (not inside `http.Server`, not after `e.g.`).
  const end = /(?<!\b(?:e\.g|i\.e|etc|vs))[.!?](?= \S)/.exec(flat);
  const sentence = end ? flat.slice(0, end.index + 1) : flat;
  if (sentence.length <= max) return sentence;
  const { at, whole } = cutPoint(sentence, max - 2);
  return `${sentence.slice(0, at)}${whole ? " " : ""}…`;
}
