import { hasVisibleText, isInvalidText } from '../domain/text';
import type { AssignmentRole } from '../ticket/state';

/**
 * Attachments on a ticket's record (RULES §8: "who, what, when, with attachments: scanned
 * approval slips, evidence"). A file is added, never changed or removed: the record keeps it as
 * it came, with who added it, when, and its SHA-256.
 */

/** What a file is on the record. */
export const ATTACHMENT_KINDS = ['evidence', 'approval_slip', 'document', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = {
  evidence: '证据材料',
  approval_slip: '审批单',
  document: '文书',
  other: '其他',
};

/**
 * The types taken: scans and photos as PDF, JPEG or PNG. Each is recognised by its first bytes, and
 * the type the client declares must be the one the bytes show: a file is never served as what it
 * is not.
 */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** One file: 10 MiB (a scanned multi-page slip at 300 dpi fits). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/**
 * What each party adds to one ticket's record (the centre, and each unit on it): at most 30 files,
 * 100 MiB together. Counted per party, so that no unit (an assisting one that never signed, say)
 * can fill the record and leave the lead unit or the centre no room for their evidence.
 */
export const ATTACHMENTS_PER_TICKET = 30;
export const ATTACHMENT_BYTES_PER_TICKET = 100 * 1024 * 1024;
/** The longest file name kept (characters). */
export const ATTACHMENT_NAME_MAX = 200;
/** An action cites at most this many of the unit's attachments. */
export const ATTACHMENTS_PER_ACTION = 10;

const SIGNATURES: [AttachmentType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

/** The type a file's first bytes show, or null when it is none of the types taken. */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  for (const [type, sig] of SIGNATURES)
    if (bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b)) return type;
  return null;
}

/** A declared media type as the platform names it: `image/JPEG; charset=x` is `image/jpeg`. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export interface AttachmentProblem {
  code: 'validation_failed' | 'unsupported_media_type' | 'payload_too_large' | 'attachment_limit_reached';
  detail: string;
  field?: string;
}

/** Why a file name cannot be kept, or null. A name is a name, not a path. */
export function attachmentNameProblem(name: string): string | null {
  const n = name.trim();
  if (!hasVisibleText(n)) return 'the file needs a name';
  if (Array.from(n).length > ATTACHMENT_NAME_MAX)
    return `the file name is longer than ${ATTACHMENT_NAME_MAX} characters`;
  if (isInvalidText(n)) return 'the file name contains a NUL character or an unpaired surrogate';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f/\\]/.test(n)) return 'the file name contains a control character or a slash';
  // Unicode's direction controls (bidi embeddings, overrides, isolates, marks) and invisible C1
  // controls: "\u202efdp.exe" shows as "exe.pdf" on the record and in a download's file name.
  if (/[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(n))
    return 'the file name contains an invisible control character (such as a text-direction override)';
  // Zero-width characters, the word joiner, the BOM and the line and paragraph separators: a name
  // that shows other than it is (报\u200d告.pdf is not 报告.pdf) or breaks a header's line.
  if (/[\u200b-\u200d\u2028\u2029\u2060-\u2064\ufeff\u00ad]/.test(n))
    return 'the file name contains an invisible character (a zero-width space or joiner, a line separator)';
  if (n === '.' || n === '..') return 'the file name is not a name';
  return null;
}

/** What the ticket's record holds already. */
export interface RecordUsage {
  count: number;
  bytes: number;
}

/**
 * Whether a file may be added: its declared type one of those taken and the one its bytes show, not
 * empty, not over the size of one file, and the ticket's record not full.
 */
export function attachmentUploadProblem(
  file: { declaredType: string; bytes: Uint8Array },
  usage: RecordUsage,
): AttachmentProblem | null {
  const declared = mediaTypeOf(file.declaredType);
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(declared))
    return {
      code: 'unsupported_media_type',
      detail: `a file is sent as one of ${ATTACHMENT_TYPES.join(', ')}, not "${declared || 'no type'}"`,
    };
  if (file.bytes.length === 0) return { code: 'validation_failed', detail: 'the file is empty' };
  if (file.bytes.length > ATTACHMENT_MAX_BYTES)
    return { code: 'payload_too_large', detail: `a file is at most ${ATTACHMENT_MAX_BYTES} bytes` };
  const sniffed = sniffAttachmentType(file.bytes);
  if (sniffed !== declared)
    return {
      code: 'unsupported_media_type',
      detail: sniffed
        ? `the file is ${sniffed}, sent as ${declared}`
        : `the file's bytes are not ${declared} (nor any type taken)`,
    };
  if (usage.count >= ATTACHMENTS_PER_TICKET)
    return {
      code: 'attachment_limit_reached',
      detail: `your files on this ticket's record number ${ATTACHMENTS_PER_TICKET} already`,
    };
  if (usage.bytes + file.bytes.length > ATTACHMENT_BYTES_PER_TICKET)
    return {
      code: 'attachment_limit_reached',
      detail: `your files on this ticket would pass ${ATTACHMENT_BYTES_PER_TICKET} bytes together`,
    };
  return null;
}

/**
 * Whether the units on the ticket see a file the centre adds, when the operator does not say: yes,
 * but on a confidential ticket (an integrity report, a complainant who asked for it), where the
 * evidence may name the one who reported.
 */
export function defaultSharedWithUnits(ticketConfidential: boolean): boolean {
  return !ticketConfidential;
}

/** Who looks at a ticket's files: the centre, or a unit in its place on the ticket. */
export type AttachmentViewer =
  | { kind: 'centre' }
  | {
      kind: 'unit';
      unitId: string;
      role: AssignmentRole;
      parentUnitId: string | null;
      /** Its own sub-units (a sub-unit that is a hub in turn: 三级/四级); absent: none. */
      subUnitIds?: readonly string[];
    };

/** A file as the rule needs it: the unit that added it (null: the centre) and whether it is shared. */
export interface AttachmentScope {
  unitId: string | null;
  sharedWithUnits: boolean;
  /** Set once the file was withdrawn as a wrong upload (absent: as null). */
  withdrawal?: AttachmentWithdrawal | null;
}

/** A file taken back as a wrong upload: it stays on the record, marked, and only the centre sees it. */
export interface AttachmentWithdrawal {
  reason: string;
  /** The user who withdrew it, and their role. */
  by: string;
  role: string;
  at: string;
}

/** Who withdraws a file: the centre, or a unit. */
export type AttachmentWithdrawer = { kind: 'centre' } | { kind: 'unit'; unitId: string };

/** The most a withdrawal's reason says (it is on the record, for the centre and the auditor). */
export const WITHDRAWAL_REASON_MAX = 500;

/**
 * Why this party may not withdraw this file, or null. A wrong upload (the wrong file, another
 * person's papers) is taken back by whoever added it, or by the centre, which keeps the record:
 * a unit withdraws only the files it added itself. A file is withdrawn once.
 */
export function withdrawalProblem(
  by: AttachmentWithdrawer,
  a: AttachmentScope,
  reason: string,
): { code: 'action_rejected' | 'validation_failed'; detail: string; field?: string } | null {
  if (by.kind === 'unit' && a.unitId !== by.unitId)
    return { code: 'action_rejected', detail: 'a unit withdraws only the files it added itself' };
  if (!hasVisibleText(reason))
    return { code: 'validation_failed', detail: 'say why the file is withdrawn', field: 'reason' };
  return null;
}

/**
 * Who sees a file. The centre sees every one. A unit that may see the ticket (ticketAccessFor:
 * full) sees what it added itself and what the centre shared with the units; the lead also what the
 * other units on the ticket added (as it reads their progress notes); a sub-unit also its hub's
 * (the approval slip that passed it the ticket) and, a hub in turn, its own sub-units' (the evidence
 * their results cite, which its own result carries up). A withdrawn file is the centre's only. An assisting unit does not see the lead's, nor a
 * sub-unit another's.
 */
export function maySeeAttachment(viewer: AttachmentViewer, a: AttachmentScope): boolean {
  if (viewer.kind === 'centre') return true;
  if (a.withdrawal) return false; // a wrong upload taken back: the centre's only
  if (a.unitId === null) return a.sharedWithUnits;
  if (a.unitId === viewer.unitId) return true;
  if (viewer.role === 'lead') return true;
  if (viewer.role !== 'sub') return false;
  return a.unitId === viewer.parentUnitId || (viewer.subUnitIds ?? []).includes(a.unitId);
}

/**
 * Who reads a unit's progress note (办理进度) on a ticket: as a file that unit added, never shared
 * with every unit (maySeeAttachment). The centre and the lead read every unit's; a unit its own; a
 * sub-unit also its hub's and its own sub-units'. An assisting unit does not read the lead's, nor a
 * street another street's (what a street noted of a family's affairs is not the next street's).
 */
export function maySeeProgressNote(viewer: AttachmentViewer, noteUnitId: string): boolean {
  return maySeeAttachment(viewer, { unitId: noteUnitId, sharedWithUnits: false });
}

/**
 * The Content-Disposition of a download: always `attachment` (never shown in the API's origin), the
 * name in ASCII for old clients and in full (RFC 6266 / 5987) for the rest: 现场照片.jpg stays so.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** An attachment as an action cites it (a reply's documents, a pass's approval slip). */
export interface CitedAttachment {
  attachmentId: string;
  name: string;
  kind: AttachmentKind;
}

/**
 * Why a unit may not cite these files in its action, or null: each must be on this ticket's record
 * and added by the unit itself (a unit vouches only for its own papers), not withdrawn, and none
 * twice.
 */
export function citationProblem(
  ids: readonly string[],
  found: readonly {
    attachmentId: string;
    ticketNo: string;
    unitId: string | null;
    withdrawal?: AttachmentWithdrawal | null;
  }[],
  ticketNo: string,
  unitId: string,
): string | null {
  if (ids.length > ATTACHMENTS_PER_ACTION) return `an action cites at most ${ATTACHMENTS_PER_ACTION} files`;
  if (new Set(ids).size !== ids.length) return 'a file is cited twice';
  for (const id of ids) {
    const a = found.find((f) => f.attachmentId === id);
    if (!a || a.ticketNo !== ticketNo || a.unitId !== unitId)
      return `no attachment ${id} of your unit on ticket ${ticketNo}`;
    if (a.withdrawal) return `attachment ${id} was withdrawn: ${a.withdrawal.reason}`;
  }
  return null;
}

/**
 * The files an action cites, as its event carries them: absent when it cites none, so an event
 * without files is the same as it was before actions could cite any.
 */
export function citedFiles(attachments: readonly CitedAttachment[] | undefined): {
  attachments?: CitedAttachment[];
} {
  return attachments && attachments.length > 0 ? { attachments: [...attachments] } : {};
}

/** Whether a value is a list of cited files (an event's `attachments`). */
export function isCitedFileList(v: unknown): v is CitedAttachment[] {
  return (
    Array.isArray(v) &&
    v.every(
      (a) =>
        typeof a === 'object' &&
        a !== null &&
        typeof (a as CitedAttachment).attachmentId === 'string' &&
        typeof (a as CitedAttachment).name === 'string' &&
        (ATTACHMENT_KINDS as readonly string[]).includes((a as CitedAttachment).kind),
    )
  );
}
