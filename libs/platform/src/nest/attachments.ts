import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiProduces,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import {
  ATTACHMENT_KINDS,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_NAME_MAX,
  ATTACHMENT_TYPES,
  ATTACHMENTS_PER_ACTION,
  attachmentNameProblem,
  contentDisposition,
  WITHDRAWAL_REASON_MAX,
  withdrawalProblem,
} from '@hotline/shared';
import type { AttachmentKind, AttachmentWithdrawer, Principal } from '@hotline/shared';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type {
  AddedAttachment,
  AttachmentRepository,
  AttachmentRow,
} from '../repositories/attachment.repository';
import { NotBlank } from './dtos';
import { ProblemException } from './problem';

/** A wrong upload's withdrawal: who took the file back, when and why. */
export class AttachmentWithdrawalDto {
  @ApiProperty({ example: '误传了他人的身份证复印件' })
  reason!: string;

  @ApiProperty({ example: 'u-operator', description: 'The user who withdrew it.' })
  by!: string;

  @ApiProperty({ example: 'operator' })
  role!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** A file on a ticket's record, as every service answers it (never its bytes: those are downloaded). */
export class AttachmentDto {
  @ApiProperty({ format: 'uuid' })
  attachmentId!: string;

  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ example: '现场照片.jpg' })
  name!: string;

  @ApiProperty({ enum: ATTACHMENT_KINDS })
  kind!: string;

  @ApiProperty({ enum: ATTACHMENT_TYPES })
  contentType!: string;

  @ApiProperty({ example: 482113 })
  sizeBytes!: number;

  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The unit that added it; null: the centre.' })
  unitId!: string | null;

  @ApiProperty({ description: "For a file of the centre's: whether the units on the ticket see it." })
  sharedWithUnits!: boolean;

  @ApiProperty({ example: '' })
  note!: string;

  @ApiProperty({ example: 'operator' })
  addedBy!: string;

  @ApiProperty({ example: 'operator' })
  addedByRole!: string;

  @ApiProperty({ format: 'date-time' })
  addedAt!: string;

  @ApiProperty({
    type: AttachmentWithdrawalDto,
    nullable: true,
    description:
      'Set once it was withdrawn as a wrong upload: it stays on the record, and only the centre sees it.',
  })
  withdrawal!: AttachmentWithdrawalDto | null;
}

export class AttachmentAddedDto extends AttachmentDto {
  @ApiProperty({ description: 'true when this party had added the very same file to the ticket before.' })
  alreadyApplied!: boolean;
}

export class AttachmentWithdrawnDto extends AttachmentDto {
  @ApiProperty({ description: 'true when the file had been withdrawn before.' })
  alreadyApplied!: boolean;
}

/** Why a file is withdrawn (it is on the record). */
export class WithdrawAttachmentDto {
  @ApiProperty({ example: '误传了他人的身份证复印件', maxLength: WITHDRAWAL_REASON_MAX })
  @IsString()
  @Length(1, WITHDRAWAL_REASON_MAX)
  @NotBlank()
  reason!: string;
}

/** What names a file sent (the body is the file itself). */
export class AttachmentUploadQuery {
  @ApiProperty({ example: '现场照片.jpg', maxLength: ATTACHMENT_NAME_MAX })
  @IsString()
  @Length(1, ATTACHMENT_NAME_MAX)
  @NotBlank()
  name!: string;

  @ApiPropertyOptional({ enum: ATTACHMENT_KINDS, default: 'evidence' })
  @IsOptional()
  @IsIn(ATTACHMENT_KINDS)
  kind?: AttachmentKind;

  @ApiPropertyOptional({ example: '2026年11月23日现场拍摄', maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class CentreAttachmentUploadQuery extends AttachmentUploadQuery {
  @ApiPropertyOptional({
    description:
      'Whether the units on the ticket see the file. Default: yes, but on a confidential ticket ' +
      '(an integrity report, a complainant who asked for it).',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  sharedWithUnits?: boolean;
}

/** The route option that lets a route take a file for its body (bootstrap's file parser reads it). */
export const TAKES_FILES = 'takesFiles';

/**
 * A file upload: the route takes the file itself for its body (and only such a route does), and
 * its OpenAPI says so, typed as what it is.
 */
export function ApiAttachmentUpload(description: string) {
  return applyDecorators(
    RouteConfig({ [TAKES_FILES]: true }),
    ApiConsumes(...ATTACHMENT_TYPES),
    ApiBody({
      description: `The file itself (PDF, JPEG or PNG, at most ${ATTACHMENT_MAX_BYTES} bytes): its type must be what its bytes are.`,
      schema: { type: 'string', format: 'binary' },
    }),
    ApiCreatedResponse({ type: AttachmentAddedDto, description }),
  );
}

/** The OpenAPI of a download: the file's bytes, as the type it was taken as. */
export function ApiAttachmentDownload() {
  return applyDecorators(
    ApiProduces(...ATTACHMENT_TYPES),
    ApiOkResponse({
      description: 'The file, as it was added (Content-Disposition: attachment; ETag: its SHA-256).',
      schema: { type: 'string', format: 'binary' },
    }),
  );
}

/**
 * An action's `attachmentIds`: the unit's own files on the ticket it cites (uploaded first to
 * `…/attachments`), at most ATTACHMENTS_PER_ACTION; each is named in the action's event.
 */
export function CitesAttachments(what: string) {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: ATTACHMENTS_PER_ACTION,
      description: `${what}: files of the unit's on this ticket (POST …/attachments first).`,
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(ATTACHMENTS_PER_ACTION),
    IsUUID('all', { each: true }),
  );
}

/** The file's name as kept: trimmed, and refused (400) when it is a path or has control characters. */
export function attachmentName(name: string): string {
  const problem = attachmentNameProblem(name);
  if (problem) throw new ProblemException('validation_failed', problem, { field: 'name' });
  return name.trim();
}

/** The body of an upload: the bytes the parser read, or a 400 when there are none. */
export function fileBody(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new ProblemException(
      'validation_failed',
      `send the file itself as the body, typed ${ATTACHMENT_TYPES.join(', ')}`,
    );
  return body;
}

/** What an upload answers, or the problem that refused it. */
export function addedAttachment(result: AddedAttachment, ticketNo: string) {
  if (result.outcome === 'no_ticket') throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
  if (result.outcome === 'refused')
    throw new ProblemException(
      result.problem.code,
      result.problem.detail,
      result.problem.field ? { field: result.problem.field } : {},
    );
  if (result.outcome === 'differs')
    throw new ProblemException(
      'attachment_exists',
      `the record holds this file already as ${result.attachment.attachmentId} ("${result.attachment.name}"), ` +
        `with another ${result.fields.join(', ')}: withdraw it first to send it again otherwise`,
      { attachmentId: result.attachment.attachmentId, fields: result.fields },
    );
  return { ...result.attachment, alreadyApplied: result.outcome === 'already' };
}

/** Sends a file's bytes: never shown inline, never sniffed, named as it was added. */
export function sendAttachment(reply: FastifyReply, row: AttachmentRow, content: Buffer): Buffer {
  void reply
    .header('content-type', row.contentType)
    .header('content-disposition', contentDisposition(row.name))
    .header('etag', `"${row.sha256}"`);
  return content;
}

/** The OpenAPI of a withdrawal. */
export function ApiAttachmentWithdrawal(description: string) {
  return ApiOkResponse({ type: AttachmentWithdrawnDto, description });
}

/**
 * Withdraws a file of the ticket as a wrong upload, for the centre or a unit (RULES §8: the file
 * stays on the record, marked). A file the caller does not see is a 404 (a unit sees its own even
 * once withdrawn, so that its retry is the same withdrawal); one it may not withdraw, a 409.
 */
export async function withdrawAttachment(
  repo: AttachmentRepository,
  req: { ticketNo: string; attachmentId: string; reason: string },
  by: AttachmentWithdrawer,
  who: Principal,
  sees: (a: AttachmentRow) => boolean,
) {
  const [found] = (await repo.byIds([req.attachmentId])).filter((a) => a.ticketNo === req.ticketNo);
  const own = found !== undefined && by.kind === 'unit' && found.unitId === by.unitId;
  if (!found || !(own || sees(found)))
    throw new ProblemException('not_found', `no attachment ${req.attachmentId} on ticket ${req.ticketNo}`);
  if (found.withdrawal) return { ...found, alreadyApplied: true };
  const problem = withdrawalProblem(by, found, req.reason);
  if (problem)
    throw new ProblemException(problem.code, problem.detail, problem.field ? { field: problem.field } : {});
  const result = await repo.withdraw(req.ticketNo, req.attachmentId, {
    reason: req.reason.trim(),
    by: who.userId,
    role: who.role,
  });
  if (result.outcome === 'no_file')
    throw new ProblemException('not_found', `no attachment ${req.attachmentId} on ticket ${req.ticketNo}`);
  return { ...result.attachment, alreadyApplied: result.outcome === 'already' };
}
