/**
 * Names and private contact data of one employee. A person's name is a pure function of (seed,
 * index), so that about one person in 125 can take over the exact name of an earlier employee:
 * HR datasets always hold different people called "Jan de Vries", and name generators must cope.
 */
import { type LastName, NICKNAMES, ORIGINS, type Origin, UNISEX_NAMES } from './name-pools.ts'
import { GLOBAL_MAIL, countryNamed } from './place-pools.ts'
import { Random, cumulate, hashUnit, pickWeighted } from './random.ts'

/** A person's name as HR records it. */
export interface Identity {
  readonly origin: Origin
  readonly gender: 'M' | 'F' | 'X'
  readonly firstName: string
  /** Name particle such as "van der"; empty for most people. */
  readonly middleName: string
  readonly lastName: string
}

/** The private contact data written to employees.csv. */
export interface Contact {
  readonly preferredName: string
  readonly personalEmail: string
  readonly personalPhone: string
  readonly city: string
  readonly country: string
}

const STREAM_NAME = 0x4a3e
const STREAM_COPY = 0xc0b7
/** Share of people who carry the full name of an earlier employee. */
const NAME_COPY_SHARE = 0.008
/** How far back a copied name is looked for; keeps the pairs spread over the file. */
const NAME_COPY_WINDOW = 400

const originWeights = cumulate(ORIGINS.map((o) => o.weight))

/** Generates names, reproducibly per employee index. */
export class NameGenerator {
  private readonly rng: Random

  constructor(private readonly seed: number) {
    this.rng = new Random(seed, STREAM_NAME, 0)
  }

  /** The name of employee i; for a few people, the name of an earlier employee. */
  identityOf(i: number): Identity {
    return this.isCopy(i) ? this.ownIdentity(this.copySource(i)) : this.ownIdentity(i)
  }

  private isCopy(i: number): boolean {
    return i > 0 && hashUnit(this.seed, STREAM_COPY, i) < NAME_COPY_SHARE
  }

  /** An earlier employee who shows their own name, so the two people really share it. */
  private copySource(i: number): number {
    const back = Math.floor(hashUnit(this.seed, STREAM_COPY + 1, i) * Math.min(i, NAME_COPY_WINDOW))
    let j = i - 1 - back
    while (j > 0 && this.isCopy(j)) j--
    return j
  }

  private ownIdentity(i: number): Identity {
    const rng = this.rng
    rng.reseed(this.seed, STREAM_NAME, i)
    const origin = ORIGINS[pickWeighted(originWeights, rng.float())] as Origin
    const g = rng.float()
    const gender = g < 0.01 ? 'X' : g < 0.505 ? 'F' : 'M'
    const firstName =
      gender === 'X'
        ? rng.chance(0.8)
          ? rng.pick(UNISEX_NAMES)
          : rng.pick(rng.chance(0.5) ? origin.male : origin.female)
        : rng.pick(gender === 'F' ? origin.female : origin.male)
    const last = rng.pick(origin.last)
    let lastName = gender === 'F' ? last.femaleName : last.name
    // Double-barrelled surnames (Smith-Jones) from two plain names of the same origin.
    if (rng.chance(0.03) && isPlain(last)) {
      const second = rng.pick(origin.last)
      if (isPlain(second) && second.name !== last.name) lastName = `${lastName}-${second.name}`
    }
    return { origin, gender, firstName, middleName: last.particle, lastName }
  }
}

const isPlain = (last: LastName): boolean => last.particle === '' && !/[ -]/.test(last.name)

/** Generates preferred name, personal e-mail and phone, and where the person lives. */
export function generateContact(identity: Identity, birthYear: number, rng: Random): Contact {
  const nickname = NICKNAMES.get(identity.firstName)
  const preferredName = nickname !== undefined && rng.chance(0.45) ? nickname : ''
  const r = rng.float()
  const countryName = r < 0.66 ? 'Netherlands' : r < 0.76 ? 'Belgium' : r < 0.84 ? 'Germany' : identity.origin.home
  const country = countryNamed(countryName)
  const domain = rng.chance(0.6) || country.mail.length === 0 ? rng.pick(GLOBAL_MAIL) : rng.pick(country.mail)
  return {
    preferredName,
    personalEmail: `${emailLocalPart(identity, preferredName, birthYear, rng)}@${domain}`,
    personalPhone: rng.digits(rng.pick(country.phones)),
    city: rng.pick(country.cities),
    country: country.name,
  }
}

/** The part before the @, in one of the ways people pick their private address. */
function emailLocalPart(identity: Identity, preferredName: string, birthYear: number, rng: Random): string {
  const first = ascii(preferredName !== '' && rng.chance(0.5) ? preferredName : identity.firstName)
  const particle = ascii(identity.middleName)
  const last = ascii(identity.lastName)
  const year = String(birthYear % 100).padStart(2, '0')
  const r = rng.float()
  let local: string
  if (r < 0.4) local = `${first}.${particle}${last}`
  else if (r < 0.52) local = particle === '' ? `${first}.${last}` : `${first}.${particle}.${last}`
  else if (r < 0.7) local = `${first.charAt(0)}.${particle}${last}`
  else if (r < 0.82) local = `${first}.${particle}${last}${year}`
  else if (r < 0.92) local = `${particle}${last}.${first}`
  else local = `${first}${particle}${last}${rng.between(1, 99)}`
  return local.replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '')
}

/** Letters that Unicode decomposition does not reduce to ASCII. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  ł: 'l',
  ß: 'ss',
  đ: 'd',
  ı: 'i',
  œ: 'oe',
  þ: 'th',
  ð: 'd',
}

/** Name parts come from finite pools, so their ASCII forms are cached rather than normalised a million times. */
const asciiCache = new Map<string, string>()
const ASCII_CACHE_LIMIT = 50_000

/** Lower-case ASCII for an e-mail address: diacritics dropped, apostrophes and spaces removed, particles joined. */
export function ascii(text: string): string {
  let result = asciiCache.get(text)
  if (result === undefined) {
    result = toAscii(text)
    if (asciiCache.size < ASCII_CACHE_LIMIT) asciiCache.set(text, result)
  }
  return result
}

function toAscii(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øæłßđıœþð]/g, (ch) => SPECIAL_LETTERS[ch] ?? '')
    .replace(/[^a-z0-9.-]/g, '')
}
