import { describe, expect, it } from 'vitest';
import { createProductRequestSchema, updateProductRequestSchema } from '../src/catalog';
import { createRoomRequestSchema, messageTextSchema } from '../src/chat';
import { signupRequestSchema } from '../src/identity';
import { codePointsOf, forbiddenCharacterIn, multiLineText, singleLineText } from '../src/text';
import * as z from '../src/zod';

const name = singleLineText({ maxLength: 10 });
const text = multiLineText({ maxLength: 10 });

/** The issues of parsing `value` with `schema` (empty when it parses). */
function issuesOf(schema: z.ZodMiniType, value: unknown) {
  const parsed = z.safeParse(schema, value);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ code: i.code, message: i.message }));
}

describe('codePointsOf', () => {
  it('counts an astral character once, a combining mark on its own and an unpaired surrogate once', () => {
    expect(codePointsOf('a😀')).toBe(2);
    expect(codePointsOf('e\u0301')).toBe(2);
    expect(codePointsOf('\uD800x')).toBe(2);
    expect(codePointsOf('')).toBe(0);
  });
});

describe('forbiddenCharacterIn', () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000', 2, 'a control character'],
    ['BEL', '\u0007', 'U+0007', 1, 'a control character'],
    ['DEL', 'x\u007F', 'U+007F', 2, 'a control character'],
    ['a C1 control', 'x\u0085', 'U+0085', 2, 'a control character'],
    ['the last C1 control', 'x\u009F', 'U+009F', 2, 'a control character'],
    ['a right-to-left override', 'abc\u202Etxt.exe', 'U+202E', 4, 'a bidirectional formatting character'],
    ['a left-to-right embedding', '\u202A', 'U+202A', 1, 'a bidirectional formatting character'],
    ['a first-strong isolate', 'x\u2068', 'U+2068', 2, 'a bidirectional formatting character'],
    ['a pop directional isolate', 'x\u2069', 'U+2069', 2, 'a bidirectional formatting character'],
    ['a lone high surrogate', 'ok\uD83D', 'U+D83D', 3, 'an unpaired surrogate'],
    ['a lone low surrogate', '\uDE00ok', 'U+DE00', 1, 'an unpaired surrogate'],
    ['a line feed', 'one\ntwo', 'U+000A', 4, 'a line break'],
    ['a carriage return', 'one\rtwo', 'U+000D', 4, 'a line break'],
    ['a line separator', 'one\u2028two', 'U+2028', 4, 'a line break'],
    ['a tab', 'one\ttwo', 'U+0009', 4, 'a tab'],
  ])(
    'finds %s in a single-line text, with its code point and position',
    (_name, value, codePoint, position, what) => {
      expect(forbiddenCharacterIn(value, 'singleLine')).toEqual({ codePoint, position, what });
    },
  );

  it('counts the position in code points, so an emoji before the character counts once', () => {
    expect(forbiddenCharacterIn('😀😀\u202E', 'singleLine')?.position).toBe(3);
  });

  it('lets a multi-line text keep line feeds and tabs but nothing else of the kind', () => {
    expect(forbiddenCharacterIn('line 1\n\tline 2', 'multiLine')).toBeUndefined();
    expect(forbiddenCharacterIn('line 1\r\nline 2', 'multiLine')).toEqual({
      codePoint: 'U+000D',
      position: 7,
      what: 'a line break other than \\n',
    });
    expect(forbiddenCharacterIn('x\u2029', 'multiLine')?.codePoint).toBe('U+2029');
    expect(forbiddenCharacterIn('x\u0000', 'multiLine')?.what).toBe('a control character');
    expect(forbiddenCharacterIn('x\u202D', 'multiLine')?.what).toBe('a bidirectional formatting character');
  });

  it('accepts what real names and texts are made of', () => {
    for (const value of [
      'Zoë Ångström',
      'e\u0301\u0301 stacked combining marks',
      'שלום עולם',
      'مرحبا\u200F', // a right-to-left mark is not an override
      '👩‍👩‍👧 family (zero-width joiners)',
      '🇪🇺 flag',
      '中文名字',
      '\u{1D54F} mathematical double-struck X',
    ]) {
      expect(forbiddenCharacterIn(value, 'singleLine'), value).toBeUndefined();
    }
  });
});

describe('singleLineText', () => {
  it('trims and accepts exactly the maximum, counted in code points', () => {
    expect(z.parse(name, '  abcdefghij  ')).toBe('abcdefghij');
    expect(z.parse(name, '😀'.repeat(10))).toBe('😀'.repeat(10));
  });

  it('refuses one character over the maximum with a too_big issue that says the count', () => {
    expect(issuesOf(name, 'abcdefghijk')).toEqual([
      { code: 'too_big', message: 'must have at most 10 characters (has 11)' },
    ]);
    expect(issuesOf(name, '😀'.repeat(11))).toEqual([
      { code: 'too_big', message: 'must have at most 10 characters (has 11)' },
    ]);
  });

  it('refuses a blank text', () => {
    expect(issuesOf(name, '   ')).toEqual([{ code: 'too_small', message: 'must not be blank' }]);
    expect(issuesOf(name, '')).toEqual([{ code: 'too_small', message: 'must not be blank' }]);
  });

  it('refuses a forbidden character naming it by code point and position, without echoing it', () => {
    const [issue] = issuesOf(name, 'Mug\u202Egpj');

    expect(issue).toEqual({
      code: 'custom',
      message: 'must not contain a bidirectional formatting character (U+202E at character 4)',
    });
    expect(issue?.message).not.toContain('\u202E');
  });

  it('refuses a control character that trimming would otherwise keep inside the name', () => {
    expect(issuesOf(name, 'a\u0000b')[0]?.message).toContain('U+0000');
    expect(issuesOf(name, 'a\nb')[0]?.message).toContain('a line break');
  });

  it('refuses a value that is not a string', () => {
    expect(issuesOf(name, 12)[0]?.code).toBe('invalid_type');
  });
});

describe('multiLineText', () => {
  it('keeps line feeds, tabs and surrounding whitespace', () => {
    expect(z.parse(text, ' a\n\tb ')).toBe(' a\n\tb ');
  });

  it('refuses an empty text and one over the maximum', () => {
    expect(issuesOf(text, '')).toEqual([{ code: 'too_small', message: 'must not be empty' }]);
    expect(issuesOf(text, 'x'.repeat(11))[0]?.code).toBe('too_big');
  });

  it('says which line breaks are allowed when it refuses another', () => {
    expect(issuesOf(text, 'a\r\nb')[0]?.message).toBe(
      'must not contain a line break other than \\n (U+000D at character 2) (line feeds \\n and tabs are allowed)',
    );
  });

  it('trims and allows an empty text when asked to', () => {
    const description = multiLineText({ maxLength: 10, minLength: 0, trim: true });

    expect(z.parse(description, '  \n ')).toBe('');
  });
});

describe('contracts carrying human text', () => {
  it.each([
    [
      'a display name',
      (v: string) => ({ email: 'a@example.com', password: 'long enough password', displayName: v }),
    ],
    ['a product name', (v: string) => ({ name: v, priceCents: 100, currency: 'EUR', stock: 1 })],
    ['a renamed product', (v: string) => ({ name: v })],
    ['a room name', (v: string) => ({ name: v })],
  ])('refuse control characters, bidi overrides and lone surrogates in %s', (what, bodyWith) => {
    const schema = {
      'a display name': signupRequestSchema,
      'a product name': createProductRequestSchema,
      'a renamed product': updateProductRequestSchema,
      'a room name': createRoomRequestSchema,
    }[what] as z.ZodMiniType;

    expect(z.safeParse(schema, bodyWith('Fine name')).success).toBe(true);
    for (const bad of [
      'Bad\u0007name',
      'Bad\u202Ename',
      'Bad\u2066name',
      'Bad\uD800name',
      'Bad\nname',
      'Bad\u009Bname',
    ]) {
      expect(z.safeParse(schema, bodyWith(bad)).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('let a product description and a chat message keep line feeds and tabs, and refuse the rest', () => {
    const product = (description: string) => ({
      name: 'Lamp',
      description,
      priceCents: 1,
      currency: 'EUR',
      stock: 1,
    });

    expect(z.safeParse(createProductRequestSchema, product('Warm light.\n\tDimmable.')).success).toBe(true);
    expect(z.safeParse(createProductRequestSchema, product('Warm\u202Elight')).success).toBe(false);
    expect(z.safeParse(messageTextSchema, 'hi\n\tthere').success).toBe(true);
    expect(z.safeParse(messageTextSchema, 'hi\u0000').success).toBe(false);
    expect(z.safeParse(messageTextSchema, 'hi\uDFFF').success).toBe(false);
  });

  it('count the maximum lengths in code points: 120 emoji make a product name, 121 do not', () => {
    const product = (name: string) => ({ name, priceCents: 1, currency: 'EUR', stock: 1 });

    expect(z.safeParse(createProductRequestSchema, product('😀'.repeat(120))).success).toBe(true);
    expect(z.safeParse(createProductRequestSchema, product('😀'.repeat(121))).success).toBe(false);
    expect(
      z.safeParse(signupRequestSchema, {
        email: 'a@example.com',
        password: 'long enough password',
        displayName: '😀'.repeat(64),
      }).success,
    ).toBe(true);
    expect(z.safeParse(createRoomRequestSchema, { name: '😀'.repeat(80) }).success).toBe(true);
    expect(z.safeParse(createRoomRequestSchema, { name: '😀'.repeat(81) }).success).toBe(false);
  });
});
