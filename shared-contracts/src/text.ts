// The rules every piece of human text a client sends is held to (names, display names, room names,
// descriptions, chat messages): what a character is, how many a text may have, and which characters
// no text may carry (decision D41).
import * as z from './zod';

/**
 * Number of Unicode code points of `text`: what every length limit on client text counts, so an
 * emoji or another astral character counts once (a client counting characters is never refused a
 * text it accepted), and an unpaired surrogate counts once too.
 *
 * @example
 * ```ts
 * codePointsOf('a😀'); // 2 ('a😀'.length is 3)
 * ```
 */
export function codePointsOf(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * A single-line text (a name) or a multi-line one (a description, a chat message). Both refuse C0
 * and C1 control characters, bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069: they make a text display in another order than it is stored, "Trojan Source"),
 * the Unicode line and paragraph separators (U+2028, U+2029) and unpaired surrogates (not text: they
 * cannot be encoded as UTF-8). A multi-line text may keep line feeds (`\n`) and tabs (`\t`).
 */
export type TextKind = 'singleLine' | 'multiLine';

/** A character a text must not carry, as {@link forbiddenCharacterIn} finds it. */
export interface ForbiddenCharacter {
  /** `U+202E`. */
  readonly codePoint: string;
  /** 1-based position, counted in code points. */
  readonly position: number;
  /** What it is, e.g. `a bidirectional formatting character`. */
  readonly what: string;
}

/**
 * The first character `text` must not carry as a `kind` text, or `undefined` when it has none.
 *
 * @example
 * ```ts
 * forbiddenCharacterIn('Mug\u202E', 'singleLine'); // { codePoint: 'U+202E', position: 4, what: 'a bidirectional formatting character' }
 * forbiddenCharacterIn('Line 1\nLine 2', 'multiLine'); // undefined
 * ```
 */
export function forbiddenCharacterIn(text: string, kind: TextKind): ForbiddenCharacter | undefined {
  let position = 0;
  for (const character of text) {
    position++;
    const code = character.codePointAt(0) as number;
    const what = describeForbidden(code, kind);
    if (what !== undefined) {
      return { codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, position, what };
    }
  }
  return undefined;
}

function describeForbidden(code: number, kind: TextKind): string | undefined {
  if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029) {
    if (kind === 'singleLine') return 'a line break';
    return code === 0x0a ? undefined : 'a line break other than \\n';
  }
  if (code === 0x09) return kind === 'multiLine' ? undefined : 'a tab';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return 'a control character';
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
    return 'a bidirectional formatting character';
  }
  if (code >= 0xd800 && code <= 0xdfff) return 'an unpaired surrogate';
  return undefined;
}

/** Options of {@link singleLineText} and {@link multiLineText}. */
export interface TextOptions {
  /** Most code points (after trimming). */
  readonly maxLength: number;
  /** Fewest code points (after trimming). @default 1 */
  readonly minLength?: number;
  /** Remove leading and trailing whitespace before checking. @default true for single-line text, false for multi-line */
  readonly trim?: boolean;
}

/**
 * A one-line text a client names something with (a display name, a product or room name): trimmed,
 * `minLength`..`maxLength` code points, none of them a control character, a line break, a tab, a
 * bidirectional formatting character or an unpaired surrogate. A refusal is a `too_small` /
 * `too_big` issue or a `custom` one naming the character (`U+202E`) and its position, never echoing it.
 *
 * @example
 * ```ts
 * const displayName = singleLineText({ maxLength: 64 });
 * displayName.parse('  Ada  '); // 'Ada'
 * z.safeParse(displayName, 'Ada\u202Eevil').success; // false
 * ```
 */
export function singleLineText(options: TextOptions) {
  return textSchema('singleLine', { trim: true, ...options });
}

/**
 * A free text of one or more lines (a description, a chat message): as {@link singleLineText}, but
 * line feeds (`\n`) and tabs (`\t`) are kept and it is not trimmed unless `trim` says so. Any other
 * line break (`\r`, U+2028, U+2029) is refused: lines end with `\n`.
 *
 * @example
 * ```ts
 * const text = multiLineText({ maxLength: 2000 });
 * text.parse('First line\n\tsecond line'); // unchanged
 * ```
 */
export function multiLineText(options: TextOptions) {
  return textSchema('multiLine', { trim: false, ...options });
}

function textSchema(kind: TextKind, options: TextOptions & { readonly trim: boolean }) {
  const { maxLength, minLength = 1, trim } = options;
  const rules = z.superRefine<string>((text, ctx) => {
    const length = codePointsOf(text);
    if (length < minLength) {
      ctx.addIssue({
        code: 'too_small',
        origin: 'string',
        minimum: minLength,
        inclusive: true,
        input: text,
        message:
          minLength === 1
            ? `must not be ${trim ? 'blank' : 'empty'}`
            : `must have at least ${minLength} characters`,
      });
    }
    if (length > maxLength) {
      ctx.addIssue({
        code: 'too_big',
        origin: 'string',
        maximum: maxLength,
        inclusive: true,
        input: text,
        message: `must have at most ${maxLength} characters (has ${length})`,
      });
    }
    const forbidden = forbiddenCharacterIn(text, kind);
    if (forbidden !== undefined) {
      const allowed = kind === 'multiLine' ? ' (line feeds \\n and tabs are allowed)' : '';
      ctx.addIssue({
        code: 'custom',
        input: text,
        params: { reason: 'FORBIDDEN_CHARACTER', codePoint: forbidden.codePoint },
        message: `must not contain ${forbidden.what} (${forbidden.codePoint} at character ${forbidden.position})${allowed}`,
      });
    }
  });
  return trim ? z.string().check(z.trim(), rules) : z.string().check(rules);
}
