/**
 * transliterate(): Latin letters with diacritics to plain ASCII (é→e, ß→ss, æ→ae, ø→o, ł→l, đ→d,
 * þ→th), for account names and e-mail addresses. The mapping is one table, built here once, and
 * every backend uses that same table: the JS backend and SQLite look characters up in it, and
 * PostgreSQL receives it as translate() arguments plus one replace() per multi-letter target. That
 * is why the three agree byte for byte. Characters not in the table are kept as they are; combining
 * diacritical marks (U+0300–U+036F) are removed, so decomposed input ("e\u0301") works too.
 */

/** Letters that Unicode decomposition does not reduce to ASCII, or that become more than one letter. */
const SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ĳ: 'ij',
  Ĳ: 'IJ',
  ŀ: 'l',
  Ŀ: 'L',
  ŉ: "'n",
  ŋ: 'n',
  Ŋ: 'N',
  ſ: 's',
  ŧ: 't',
  Ŧ: 'T',
  ƀ: 'b',
  Ɓ: 'B',
  ƈ: 'c',
  Ƈ: 'C',
  ƒ: 'f',
  Ƒ: 'F',
  ƙ: 'k',
  Ƙ: 'K',
  ƚ: 'l',
  Ƚ: 'L',
  ƞ: 'n',
  Ɲ: 'N',
  ƫ: 't',
  ƭ: 't',
  Ƭ: 'T',
  ʈ: 't',
  Ʈ: 'T',
  ƶ: 'z',
  Ƶ: 'Z',
  ȥ: 'z',
  Ȥ: 'Z',
  ǆ: 'dz',
  ǅ: 'Dz',
  Ǆ: 'DZ',
  ǉ: 'lj',
  ǈ: 'Lj',
  Ǉ: 'LJ',
  ǌ: 'nj',
  ǋ: 'Nj',
  Ǌ: 'NJ',
  ǳ: 'dz',
  ǲ: 'Dz',
  Ǳ: 'DZ',
  ĸ: 'k',
  ɍ: 'r',
  Ɍ: 'R',
  ɏ: 'y',
  Ɏ: 'Y',
  ȼ: 'c',
  Ȼ: 'C',
  ɇ: 'e',
  Ɇ: 'E',
  ɉ: 'j',
  Ɉ: 'J',
  ⱥ: 'a',
  Ⱥ: 'A',
  ⱦ: 't',
  Ⱦ: 'T',
  ȸ: 'db',
  ȹ: 'qp',
}

/** Blocks whose letters decompose into an ASCII letter plus combining marks. */
const DECOMPOSABLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00c0, 0x024f], // Latin-1 Supplement letters, Latin Extended-A and -B
  [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese and others)
]

const COMBINING_MARKS = /[\u0300-\u036f]/g

function buildTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>()
  for (const [from, to] of DECOMPOSABLE_RANGES) {
    for (let cp = from; cp <= to; cp++) {
      const char = String.fromCodePoint(cp)
      const base = char.normalize('NFD').replace(COMBINING_MARKS, '')
      if (base !== char && /^[\x20-\x7e]+$/.test(base)) table.set(char, base)
    }
  }
  for (const [from, to] of Object.entries(SPECIAL)) table.set(from, to)
  return table
}

/** Every mapped character and its ASCII replacement, in code point order. */
export const TRANSLITERATION_TABLE: ReadonlyMap<string, string> = new Map(
  [...buildTable()].sort(([a], [b]) => a.codePointAt(0)! - b.codePointAt(0)!),
)

/** The combining marks removed by transliterate(), as one string. */
export const REMOVED_MARKS: string = Array.from({ length: 0x70 }, (_, i) => String.fromCodePoint(0x300 + i)).join('')

/** Replaces mapped characters by ASCII and drops combining marks; other characters stay. */
export function transliterate(s: string | null): string | null {
  if (s === null) return null
  let out = ''
  for (const char of s) {
    const code = char.codePointAt(0)!
    if (code < 0x80) out += char
    else if (code >= 0x300 && code <= 0x36f) continue
    else out += TRANSLITERATION_TABLE.get(char) ?? char
  }
  return out
}

/**
 * The table in the shape PostgreSQL needs: translate(s, from, to) for one-letter targets (the
 * combining marks sit at the end of `from` with no partner in `to`, so translate() deletes them),
 * then replace(s, source, target) for each multi-letter target. Sources never occur in targets, so
 * the order of the steps does not matter.
 * https://www.postgresql.org/docs/current/functions-string.html#FUNCTIONS-STRING-OTHER
 */
export function transliterationSteps(): {
  readonly from: string
  readonly to: string
  readonly replacements: readonly (readonly [string, string])[]
} {
  let from = ''
  let to = ''
  const replacements: [string, string][] = []
  for (const [source, target] of TRANSLITERATION_TABLE) {
    if (target.length === 1) {
      from += source
      to += target
    } else {
      replacements.push([source, target])
    }
  }
  return { from: from + REMOVED_MARKS, to, replacements }
}
