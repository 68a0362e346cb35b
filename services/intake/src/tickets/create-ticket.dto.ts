import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { NotBlank } from '@hotline/platform';
import {
  ALL_CHANNEL_DETAILS,
  APPEAL_KINDS,
  CHANNELS,
  COMPLAINT_NATURES,
  EXCLUSION_REASONS,
  isPhoneNumber,
} from '@hotline/shared';
import type { AppealKind, Channel, ChannelDetail, ComplaintNature, ExclusionReason } from '@hotline/shared';

const DISPOSITION_TYPES = [
  'dispatch',
  'direct_answer',
  'three_way_call',
  'special_line',
  'special_window',
  'not_accepted',
] as const;

/** The dispositions by which the unit itself answers at intake: each names the unit and what it answered. */
const WITH_UNIT: readonly string[] = ['three_way_call', 'special_line', 'special_window'];
const withUnit = (o: DispositionDto) => WITH_UNIT.includes(o.type);

/**
 * 分类处置 (SQ art. 10.2): dispatch to a unit (default), answer directly at intake, answered on a
 * three-way call with the unit (三方通话), transferred to the unit's dedicated line (专线), linked
 * with the unit's dedicated window (专窗联动), or not accept (不予受理).
 */
export class DispositionDto {
  @ApiProperty({ enum: DISPOSITION_TYPES })
  @IsIn(DISPOSITION_TYPES)
  type!: (typeof DISPOSITION_TYPES)[number];

  @ApiPropertyOptional({
    description:
      'The answer from the knowledge base (direct_answer); omit it to answer later, within the policy limit.',
  })
  @ValidateIf((o: DispositionDto) => o.type === 'direct_answer' && o.answer !== undefined)
  @IsString()
  @Length(1, 10000)
  @NotBlank()
  answer?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'direct_answer from the knowledge base (直接解答): a published entry; its content is the answer unless `answer` is given.',
  })
  @ValidateIf((o: DispositionDto) => o.type === 'direct_answer' && o.knowledgeEntryId !== undefined)
  @IsUUID()
  knowledgeEntryId?: string;

  @ApiPropertyOptional({
    example: 'transport',
    description:
      'three_way_call: the unit the operator brought onto the call, which answered; special_line: the ' +
      'unit whose line took the call; special_window: the unit whose window took it in hand.',
  })
  @ValidateIf(withUnit)
  @IsString()
  @Length(1, 64)
  unitId?: string;

  @ApiPropertyOptional({
    example: '市交通运输局养护科 王工',
    description: 'three_way_call: who spoke for the unit.',
  })
  @ValidateIf((o: DispositionDto) => o.type === 'three_way_call')
  @IsString()
  @Length(1, 100)
  @NotBlank()
  participant?: string;

  @ApiPropertyOptional({
    example: '养护科王工在通话中答复：已安排今日下午更换破损地砖，市民表示认可。',
    description:
      'three_way_call, special_line, special_window: what the unit answered or arranged, as the operator recorded it.',
  })
  @ValidateIf(withUnit)
  @IsString()
  @Length(1, 10000)
  @NotBlank()
  summary?: string;

  @ApiPropertyOptional({
    example: '12315 市场监管专线',
    description: 'special_line: the dedicated line the call was transferred to, as the citizen knows it.',
  })
  @ValidateIf((o: DispositionDto) => o.type === 'special_line')
  @IsString()
  @Length(1, 100)
  @NotBlank()
  line?: string;

  @ApiPropertyOptional({
    example: '市民中心二楼市场监管专窗',
    description:
      'special_window: the dedicated window that took the appeal in hand, as the citizen finds it.',
  })
  @ValidateIf((o: DispositionDto) => o.type === 'special_window')
  @IsString()
  @Length(1, 100)
  @NotBlank()
  window?: string;

  @ApiPropertyOptional({ enum: EXCLUSION_REASONS, description: 'Why it is not accepted (not_accepted).' })
  @ValidateIf((o: DispositionDto) => o.type === 'not_accepted')
  @IsIn(EXCLUSION_REASONS)
  reason?: ExclusionReason;

  @ApiPropertyOptional({ description: 'Guidance to the citizen: where to turn instead (not_accepted).' })
  @ValidateIf((o: DispositionDto) => o.type === 'not_accepted')
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  guidance?: string;
}

/** What an operator registers for an appeal (the ledger's fields, RULES §1). */
export class CreateTicketDto {
  @ApiProperty({ enum: CHANNELS, example: 'phone' })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiPropertyOptional({
    enum: ALL_CHANNEL_DETAILS,
    description:
      'Which leader mailbox (leader_mailbox: provincial_secretary 省委书记信箱, governor 省长信箱, city_secretary ' +
      '市委书记信箱, mayor 市长信箱, district_leader 区领导信箱, bureau_chief 局长信箱, conduct_hotline 政风行风热线) ' +
      'or upper platform (upper_platform: state_council_supervision 国务院“互联网+督查”, national_service_platform ' +
      '国家政务服务平台, provincial_12345 省12345, service_review 好差评) it came through; no other channel has one. ' +
      'The policy may hold them apart (SZ: the acceptance notice is for provincial and city leaders’ mailboxes).',
  })
  @IsOptional()
  @IsIn(ALL_CHANNEL_DETAILS)
  channelDetail?: ChannelDetail;

  @ApiProperty({ enum: APPEAL_KINDS, example: 'complaint' })
  @IsIn(APPEAL_KINDS)
  kind!: AppealKind;

  @ApiProperty({ example: 'road', description: 'A category of the matter catalog.' })
  @IsString()
  @Length(1, 64)
  category!: string;

  @ApiProperty({ example: 'gulou' })
  @IsString()
  @Length(1, 64)
  regionCode!: string;

  @ApiProperty({ example: '中山路人行道破损' })
  @IsString()
  @Length(1, 200)
  @NotBlank()
  title!: string;

  @ApiProperty({ example: '中山路128号门前人行道地砖松动多块，老人路过易摔倒，请尽快维修。' })
  @IsString()
  @Length(1, 10000)
  @NotBlank()
  content!: string;

  @ApiPropertyOptional({ example: '鼓楼区中山路128号' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @NotBlank()
  address?: string;

  @ApiPropertyOptional({ example: '张先生', description: 'Omit for an anonymous appeal.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  complainantName?: string;

  @ApiPropertyOptional({
    example: '13800138000',
    description: 'Digits, an optional leading + and hyphens: 5 to 20 digits.',
  })
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isPhoneNumber',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && isPhoneNumber(v),
      defaultMessage: () =>
        'complainantPhone must be a phone number: 5 to 20 digits, an optional + and hyphens',
    },
  })
  complainantPhone?: string;

  @ApiPropertyOptional({
    enum: COMPLAINT_NATURES,
    description:
      'A complaint or report about officials, by nature (efficiency 效能投诉, conduct 纠风, integrity 廉政举报): ' +
      'it goes to the body for that nature, whatever its category; only for kind complaint or report.',
  })
  @IsOptional()
  @IsIn(COMPLAINT_NATURES)
  complaintNature?: ComplaintNature;

  @ApiPropertyOptional({
    description:
      '保密: units never see name or phone. Default false; true for an integrity report (廉政举报).',
  })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean;

  @ApiPropertyOptional({ description: '被投诉举报人' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  respondent?: string;

  @ApiPropertyOptional({ description: "The citizen's demand (诉求)." })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  demand?: string;

  @AssistingUnitIds('Assisting units (协办单位).', ['urban-mgmt'])
  assistingUnitIds?: string[];

  @ApiPropertyOptional({ type: DispositionDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DispositionDto)
  disposition?: DispositionDto;
}

/** Assisting units (协办单位) named by their ids: at most 10, each 1–64 characters. */
export function AssistingUnitIds(description: string, example: string[] = ['urban-mgmt']) {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], maxItems: 10, example, description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(10),
    IsString({ each: true }),
    Length(1, 64, { each: true }),
  );
}
