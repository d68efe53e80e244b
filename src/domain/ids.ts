/**
 * Identifiers and secrets. IDs are prefixed and time-ordered (48-bit milliseconds + 80 random
 * bits, Crockford base32, like ULID) so that sorting by id is a stable creation order.
 * The generator is an interface so tests can make IDs deterministic.
 */
export type OrganizationId = string & { readonly __brand: 'OrganizationId' };
export type DirectoryId = string & { readonly __brand: 'DirectoryId' };
export type UserId = string & { readonly __brand: 'UserId' };
export type GroupId = string & { readonly __brand: 'GroupId' };

export type IdPrefix = 'org' | 'dir' | 'usr' | 'grp' | 'tok' | 'evt' | 'req' | 'key' | 'whk' | 'lnk' | 'adm' | 'sso';

export interface IdGenerator {
  next(prefix: IdPrefix): string;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Encodes a time and 10 random bytes as 26 Crockford base32 characters. */
export function encodeSortableId(timeMs: number, random: Uint8Array): string {
  let out = '';
  let t = timeMs;
  const timeChars: string[] = [];
  for (let i = 0; i < 10; i++) {
    timeChars.push(ALPHABET[t % 32]!);
    t = Math.floor(t / 32);
  }
  out += timeChars.reverse().join('');
  // 80 bits of randomness -> 16 characters of 5 bits each
  let bits = 0;
  let value = 0;
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >> bits) & 31]!;
    }
    value &= (1 << bits) - 1;
  }
  return out.toLowerCase();
}
