import { createHash, randomBytes, timingSafeEqual } from "node:crypto"

const PREFIX = "pulje_"
const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
const ID_LENGTH = 12

/** A random id of `length` characters from a lowercase alphabet without look-alikes (0/o, 1/l). */
export const randomId = (length: number = ID_LENGTH): string =>
  Array.from(randomBytes(length), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("")

/** The stored form of a key's secret: its sha256. A random 256-bit secret needs no slow hash. */
export const hashSecret = (secret: string): Buffer => createHash("sha256").update(secret, "utf8").digest()

/** A new key: `pulje_<id>_<secret>`, its id (safe to log) and the hash to store. */
export const newKey = (): { key: string; id: string; secretHash: Buffer } => {
  const id = randomId()
  const secret = randomBytes(32).toString("base64url")
  return { key: `${PREFIX}${id}_${secret}`, id, secretHash: hashSecret(secret) }
}

/** Split a presented key into id and secret; null when it does not have the shape of a key. */
export const parseKey = (key: string): { id: string; secret: string } | null => {
  if (!key.startsWith(PREFIX)) return null
  const rest = key.slice(PREFIX.length)
  const id = rest.slice(0, ID_LENGTH)
  if (rest[ID_LENGTH] !== "_" || !/^[a-z0-9]+$/.test(id)) return null
  const secret = rest.slice(ID_LENGTH + 1)
  return secret.length >= 16 ? { id, secret } : null
}

/** Compare a presented secret with a stored hash in constant time. */
export const secretMatches = (secret: string, stored: Buffer): boolean => {
  const h = hashSecret(secret)
  return h.length === stored.length && timingSafeEqual(h, stored)
}

/**
 * The id part of a presented key, for log lines that must say who called without showing the key;
 * null when it does not have the shape of a key.
 */
export const keyIdOf = (key: string): string | null => parseKey(key)?.id ?? null
