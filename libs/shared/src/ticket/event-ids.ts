/**
 * The ids of the events a ticket's transition records.
 *
 * The workflow records a transition through a local activity, which runs before the workflow task
 * that carries it is committed. Under load the Temporal server sometimes drops an update's
 * workflow task after that activity has written its events, and the client sends the update again.
 * The ledger stores an event id once, so the ids must be:
 *
 * - the same when the same transition is tried again (the update sent again, a workflow task
 *   replayed after a worker crash): its events are then recorded once;
 * - different for any other transition that takes the same place, such as a timer or another
 *   actor's update that runs before the lost update is sent again. Otherwise its events would
 *   clash with the lost attempt's and be dropped.
 *
 * So an id is derived from the run, how many transitions the run had recorded before this one,
 * the update that asked for it (none for the workflow's own transitions: intake, timers), and the
 * event's place in the transition. The workflow's seeded random numbers do not work here: a lost
 * attempt's numbers are handed out again to whatever runs next.
 *
 * Name-based UUIDs (RFC 9562 version 5, SHA-1) in plain TypeScript: workflow code may not import
 * Node's crypto.
 */
export interface TransitionScope {
  /** The workflow run. */
  runId: string;
  /** How many transitions this run had recorded before this one. */
  serial: number;
  /** The update that asked for the transition; null for the workflow's own transitions. */
  updateId: string | null;
}

/** The namespace of the ticket event ids (a fixed, random UUID). */
export const TICKET_EVENT_ID_NAMESPACE = '5b0e6a0c-2f4e-4d43-9a3b-7c1e12345e01';

/** The ids of a transition's `count` events, in order. */
export function transitionEventIds(scope: TransitionScope, count: number): string[] {
  const base = `${scope.runId}/${scope.serial}/${scope.updateId === null ? '-' : `u:${scope.updateId}`}`;
  return Array.from({ length: count }, (_, i) => uuidV5(TICKET_EVENT_ID_NAMESPACE, `${base}/${i}`));
}

/**
 * The id of the correction that voids these events (`ticket.record_corrected`): an event is voided
 * once, so a set of them names one correction, however often the write that voids them is retried.
 */
export function correctionEventId(voidedEventIds: readonly string[]): string {
  return uuidV5(TICKET_EVENT_ID_NAMESPACE, `correction/${[...voidedEventIds].sort().join(',')}`);
}

/**
 * The id an event takes when its own id was voided by a correction and the workflow records it
 * after all (the lost attempt and the one that stands named it alike): consumers have taken the
 * voided id off their books, so the event comes to them anew under this one.
 */
export function successorEventId(eventId: string, voidedBy: string): string {
  return uuidV5(TICKET_EVENT_ID_NAMESPACE, `${eventId}/after/${voidedBy}`);
}

/** RFC 9562 version 5 UUID of `name` (UTF-8) in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const ns = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw new Error(`not a UUID: ${namespace}`);
  const nameBytes = utf8(name);
  const bytes = new Uint8Array(16 + nameBytes.length);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(ns.slice(i * 2, i * 2 + 2), 16);
  bytes.set(nameBytes, 16);
  const h = sha1(bytes);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = Array.from(h.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** SHA-1 (FIPS 180-4) of a byte string: the 20-byte digest. */
export function sha1(message: Uint8Array): Uint8Array {
  const bitLength = message.length * 8;
  const padded = new Uint8Array((((message.length + 8) >> 6) + 1) * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = new Uint32Array(80);
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const temp = (rotl(a, 5) + f + e + k + w[t]) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = temp;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  [h0, h1, h2, h3, h4].forEach((v, i) => outView.setUint32(i * 4, v));
  return out;
}

/** The UTF-8 bytes of a string (a lone surrogate as U+FFFD, as TextEncoder does). */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let c = ch.codePointAt(0) ?? 0xfffd;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}
