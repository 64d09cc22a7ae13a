// Client-made ids for idempotent submissions.
//
// crypto.randomUUID() exists only in secure contexts (https, localhost), and
// phones open the workshop over plain http on the venue's LAN, so the UUID is
// built from crypto.getRandomValues(), which works everywhere.

/** A random RFC 4122 version 4 UUID. */
export function uuid4() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
