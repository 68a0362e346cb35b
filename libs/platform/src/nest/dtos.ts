import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  buildMessage,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import type { ValidationOptions } from 'class-validator';
import {
  DURATION_UNITS,
  durationAmountProblem,
  hasVisibleText,
  IDEMPOTENCY_KEY_PATTERN,
  isDayKey,
  isInstant,
  isIdempotencyKey,
  typedWords,
  visibleLength,
} from '@hotline/shared';
import type { DurationUnit } from '@hotline/shared';
import { IDEMPOTENT } from './idempotency';
import { ProblemException } from './problem';

export const MAX_OFFSET = 1_000_000_000;
/** No duration of the platform is anywhere near 100,000 of its unit (the extension cap is days). */
export const MAX_DURATION_AMOUNT = 100_000;

/** What every list endpoint answers: one page of its items, their count in all, and the paging asked. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export const pageOf = <T>(
  rows: { items: T[]; total: number },
  q: { limit: number; offset: number },
): Page<T> => ({ items: rows.items, total: rows.total, limit: q.limit, offset: q.offset });

/**
 * One page of a list held whole (a ticket's files, a hub's sub-units, the evaluator pool: each
 * bounded by a rule, read in one query), answered like every other list.
 */
export const pageOfAll = <T>(items: readonly T[], q: { limit?: number; offset?: number }): Page<T> => {
  const limit = q.limit ?? 20;
  const offset = q.offset ?? 0;
  return { items: items.slice(offset, offset + limit), total: items.length, limit, offset };
};

/**
 * A whole number in a query string, written in decimal digits: `Number()` would also read `0x10`,
 * `1e2`, ` 7 ` or `0b11`, which no client means as a count. Anything else stays the string it was,
 * which `@IsInt()` then refuses (400 validation_failed).
 */
export const QueryInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?[0-9]{1,16}$/.test(value) ? Number(value) : value,
  );

/** Paging for every list endpoint: `?limit=20&offset=0`, at most 200 a page. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', default: 20, maximum: 200 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  // Capped: `?offset=1e308` or a 20-digit offset is an integer to class-validator but not to
  // Postgres's bigint OFFSET (it was a 500); no list is anywhere near this long.
  @ApiPropertyOptional({ type: 'integer', default: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}

/** A page of a log read by time: `from` (inclusive) and `to` (exclusive), instants with their offset. */
export class TimeRangeQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '2026-11-23T00:00:00Z',
    format: 'date-time',
    description: 'From this instant (inclusive).',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-24T00:00:00Z',
    format: 'date-time',
    description: 'Until this instant (exclusive).',
  })
  @IsOptional()
  @IsInstant()
  to?: string;
}

/** The page and the span a TimeRangeQuery asks for, as a log's repository reads them. */
export function timeRangeOf(q: TimeRangeQuery): { from?: Date; to?: Date; limit: number; offset: number } {
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  // A span that ends before it begins is a mistake to say, not an empty page to answer.
  if (from && to && from.getTime() > to.getTime())
    throw new ProblemException('validation_failed', 'from is after to', { field: 'from' });
  return {
    from,
    to,
    limit: q.limit ?? 20,
    offset: q.offset ?? 0,
  };
}

/**
 * A calendar day on the wire, `YYYY-MM-DD`, and a real one: a pattern alone lets 2026-02-30
 * through to Postgres, which refuses it (that was a 500). It documents the field `format: date`
 * too (merged into the field's own ApiProperty, in either order), so the bad-input fuzzer, which
 * finds day fields by that format, sends impossible days to every field this guards.
 */
/**
 * The years a day or an instant on the wire may fall in. A day of year 9999 is real, but the period
 * or term that ends after it falls in year 10000, which neither an ISO string nor Postgres takes
 * (a weekly report of 9999-12-27 was a 500); no appeal, report or term lies outside these years.
 */
export const WIRE_YEARS = { from: 1900, to: 2999 } as const;

const inWireYears = (value: string): boolean => {
  const year = Number(value.slice(0, 4));
  return year >= WIRE_YEARS.from && year <= WIRE_YEARS.to;
};

export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateBy(
      {
        name: 'isDay',
        validator: {
          validate: (value: unknown) => isDayKey(value) && inWireYears(value),
          defaultMessage: buildMessage(
            (each) =>
              `${each}$property must be a real day, YYYY-MM-DD, in the years ${WIRE_YEARS.from}–${WIRE_YEARS.to}`,
            options,
          ),
        },
      },
      options,
    ),
    ApiProperty({ format: 'date' }),
  );
}

/**
 * Text of at least `min` characters that show (visibleLength): `@MinLength` counts zero-width
 * spaces, so five of them passed for a reason written to the access log.
 */
export function MinVisibleLength(min: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'minVisibleLength',
      constraints: [min],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || visibleLength(value) >= min,
        defaultMessage: buildMessage(
          (each) => `${each}$property must have at least ${min} visible characters`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * A day within a span (both ends included, `YYYY-MM-DD` compared as text): for days the platform
 * computes from, where year 9999 is a real day but a term ending two years after it is not.
 */
export function DayBetween(from: string, to: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'dayBetween',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || (value >= from && value <= to),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a day from ${from} to ${to}`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * An instant on the wire (isInstant: RFC 3339 with its offset, a real day and time), documented as
 * `format: date-time` like IsDay's days, so the bad-input fuzzer sends impossible instants here too.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateBy(
      {
        name: 'isInstant',
        validator: {
          validate: (value: unknown) => isInstant(value) && inWireYears(value),
          defaultMessage: buildMessage(
            (each) =>
              `${each}$property must be a date-time with its offset, e.g. 2026-12-07T10:00:00+08:00, in the years ${WIRE_YEARS.from}–${WIRE_YEARS.to}`,
            options,
          ),
        },
      },
      options,
    ),
    ApiProperty({ format: 'date-time' }),
  );
}

/**
 * Text that must say something: not only spaces or zero-width characters (hasVisibleText; a title,
 * an answer, a guidance the citizen reads). `@Length(1, n)` alone let "   " through, and a citizen
 * was shown an empty answer.
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || hasVisibleText(value),
        defaultMessage: buildMessage((each) => `${each}$property must not be blank`, options),
      },
    },
    options,
  );
}

/** The longest unit id of the platform (a column of 64). */
export const MAX_UNIT_ID_LENGTH = 64;

/**
 * An optional `unitId` filter of a list: one unit's items. Who may use it for another unit than
 * their own is the service's decision (a clerk always sees its own); this checks its shape only.
 */
export function UnitFilter(description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      example: 'transport',
      maxLength: MAX_UNIT_ID_LENGTH,
      ...(description ? { description } : {}),
    }),
    IsOptional(),
    IsString(),
    Length(1, MAX_UNIT_ID_LENGTH),
  );
}

/** A duration on the wire: clock time or working time on the calendar. */
export class DurationDto {
  // Capped like the offset: 1e308 hours is a number, not a duration (it reached the workflow).
  @ApiProperty({
    example: 2,
    maximum: MAX_DURATION_AMOUNT,
    description: 'A plain decimal (no exponent); a whole number of working_days.',
  })
  @IsNumber()
  @Min(0)
  @Max(MAX_DURATION_AMOUNT)
  @ValidateBy({
    name: 'isDurationAmount',
    validator: {
      validate: (amount: unknown, args) =>
        durationAmountProblem((args?.object as DurationDto).unit, amount) === null,
      defaultMessage: (args) =>
        `$property: ${durationAmountProblem((args?.object as DurationDto).unit, args?.value) ?? 'not an amount'}`,
    },
  })
  amount!: number;

  @ApiProperty({ enum: DURATION_UNITS, example: 'days' })
  @IsIn(DURATION_UNITS)
  unit!: DurationUnit;
}

/**
 * Marks an action as taking the optional `Idempotency-Key` header (so `IdempotencyInterceptor`
 * holds the key to its first request) and documents the header, once and as optional: named as
 * `@Headers('idempotency-key')` reads it, so the OpenAPI document merges the two entries.
 */
export const ApiIdempotencyKey = (
  description = "Optional. A repeat with the same key from the same caller is the same call: it gets the first call's answer.",
): MethodDecorator =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'idempotency-key',
      required: false,
      description: `${description} The key is the caller's for this operation on this resource; sent with another body it is refused (422 idempotency_key_reused), whatever the first request was answered; only a request refused as invalid (400 validation_failed) gives its key back.`,
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source, maxLength: 128 },
    }),
  );

/** The optional `Idempotency-Key` header, checked: a repeat with the same key is the same call. */
export function idempotencyKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!isIdempotencyKey(header))
    throw new ProblemException(
      'validation_failed',
      'Idempotency-Key must be 1–128 characters of [A-Za-z0-9_.:-]',
    );
  return header;
}

/** How many different words the ledger looks for together. */
export const MAX_LEDGER_WORDS = 5;

/**
 * The words of a list's `q` (split on spaces and punctuation, each once), or undefined when none was
 * asked. A `q` of nothing but separators is refused (it would silently match everything), and so is
 * one of more than 5 different words (one dropped would answer tickets that lack it).
 */
export function wordsOf(q: string | undefined): string[] | undefined {
  if (q === undefined) return undefined;
  const words = typedWords(q);
  if (words.length === 0)
    throw new ProblemException('validation_failed', 'q has no words, only spaces or punctuation', {
      field: 'q',
    });
  if (words.length > MAX_LEDGER_WORDS)
    throw new ProblemException(
      'validation_failed',
      `q has ${words.length} different words; at most ${MAX_LEDGER_WORDS} are looked for together`,
      { field: 'q' },
    );
  return words;
}

/** The platform's UUID check, where the services have always found it. */
export { isUuid } from '@hotline/shared';
