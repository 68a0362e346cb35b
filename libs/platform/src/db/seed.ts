import type { DataSource } from 'typeorm';
import { CN_MAINLAND_CALENDAR, SEED_POLICY_SETS } from '@hotline/shared';
import type { ComplaintNature, NominationSource, Role } from '@hotline/shared';
import { termEndOf } from '@hotline/shared';
import type { PiiCipher } from '../security/pii-cipher';
import { piiAad } from '../security/pii-cipher';
import { stableUuid } from '../repositories/expert.repository';
import { hashPassword, verifyPassword } from '../auth/password';

/**
 * The demo city: a city with four districts, a dozen units, a matter catalog and one user per
 * role. Idempotent: running it again changes nothing. The demo users (all with DEMO_PASSWORD)
 * belong to development and tests only: the seed CLI creates them only when HOTLINE_ENV is
 * development or test.
 */
export const DEMO_PASSWORD = 'hotline12345';

export const DEMO_REGIONS: [code: string, name: string, parent: string | null][] = [
  ['city', '示范市', null],
  ['gulou', '鼓楼区', 'city'],
  ['xincheng', '新城区', 'city'],
  ['hexi', '河西区', 'city'],
  ['gaoxin', '高新区', 'city'],
];

export const DEMO_UNITS: [id: string, name: string, kind: string, region: string | null][] = [
  ['housing', '市住房和城乡建设局', 'department', null],
  ['transport', '市交通运输局', 'department', null],
  ['environment', '市生态环境局', 'department', null],
  ['market', '市市场监督管理局', 'department', null],
  ['hrss', '市人力资源和社会保障局', 'department', null],
  ['urban-mgmt', '市城市管理局', 'department', null],
  ['water', '市自来水公司', 'utility', null],
  ['power', '国网示范市供电公司', 'utility', null],
  ['gulou-gov', '鼓楼区人民政府', 'district', 'gulou'],
  ['xincheng-gov', '新城区人民政府', 'district', 'xincheng'],
  ['hexi-gov', '河西区人民政府', 'district', 'hexi'],
  ['gaoxin-cmte', '高新区管委会', 'district', 'gaoxin'],
];

/** Sub-units of a hub (RULES §2 multi-level handling): [id, name, kind, region, hub]. */
export const DEMO_SUB_UNITS: [id: string, name: string, kind: string, region: string, hub: string][] = [
  ['gulou-hunan', '鼓楼区湖南路街道', 'street', 'gulou', 'gulou-gov'],
  ['gulou-ninghai', '鼓楼区宁海路街道', 'street', 'gulou', 'gulou-gov'],
  // A street that is a hub in turn: its community is the third level (GS 三级/四级承办单位).
  ['gulou-hunan-matai', '湖南路街道马台街社区', 'community', 'gulou', 'gulou-hunan'],
];

/** The bodies for complaints about officials, by nature (GS): [id, name, nature]. */
export const DEMO_NATURE_BODIES: [id: string, name: string, nature: ComplaintNature][] = [
  ['efficiency-office', '市政务服务管理办公室（效能监督）', 'efficiency'],
  ['conduct-office', '市纠风办', 'conduct'],
  ['discipline', '市纪委监委', 'integrity'],
];

/** [id, name, category, region or null for city-wide, unit, priority] */
export const DEMO_CATALOG: [string, string, string, string | null, string, number][] = [
  ['m-property', '物业服务纠纷', 'property', null, 'housing', 100],
  ['m-road', '道路破损维修', 'road', null, 'transport', 100],
  ['m-bus', '公交线路与服务', 'bus', null, 'transport', 100],
  ['m-noise', '噪声污染', 'noise', null, 'environment', 100],
  ['m-pollution', '环境污染', 'pollution', null, 'environment', 100],
  ['m-food', '食品安全', 'food-safety', null, 'market', 100],
  ['m-consumer', '消费维权', 'consumer', null, 'market', 100],
  ['m-wages', '拖欠工资', 'wages', null, 'hrss', 100],
  ['m-social-ins', '社会保险', 'social-insurance', null, 'hrss', 100],
  ['m-stalls', '占道经营', 'street-stalls', null, 'urban-mgmt', 100],
  ['m-water', '供水故障', 'water-supply', null, 'water', 100],
  ['m-power', '停电与供电故障', 'power-supply', null, 'power', 100],
  ['m-stalls-gulou', '鼓楼区占道经营', 'street-stalls', 'gulou', 'gulou-gov', 50],
  ['m-community', '社区事务', 'community', 'gulou', 'gulou-gov', 100],
  ['m-community-xc', '社区事务', 'community', 'xincheng', 'xincheng-gov', 100],
  ['m-community-hx', '社区事务', 'community', 'hexi', 'hexi-gov', 100],
  ['m-community-gx', '社区事务', 'community', 'gaoxin', 'gaoxin-cmte', 100],
];

/**
 * The expert evaluator pool of the demo city (PA §3: about 50 in a real city; a dozen here), one per
 * evaluator user: [username, name, nominated by, source, units they must never evaluate].
 */
export const DEMO_EVALUATORS: [string, string, string, NominationSource, string[]][] = [
  ['evaluator', '张明华', '市人大常委会', 'npc_deputy', []],
  ['evaluator02', '李建国', '市政协', 'cppcc_member', []],
  ['evaluator03', '王丽', '市住房和城乡建设局', 'expert', ['housing']],
  ['evaluator04', '赵强', '市交通运输局', 'expert', ['transport']],
  ['evaluator05', '陈静', '市人大常委会', 'npc_deputy', []],
  ['evaluator06', '刘洋', '市政协', 'cppcc_member', []],
  ['evaluator07', '杨帆', '市生态环境局', 'expert', ['environment']],
  ['evaluator08', '黄蕾', '市律师协会', 'expert', []],
  ['evaluator09', '周涛', '鼓楼区人大', 'npc_deputy', ['gulou-gov']],
  ['evaluator10', '吴敏', '市政协', 'cppcc_member', []],
  ['evaluator11', '徐磊', '示范大学', 'expert', []],
  ['evaluator12', '孙悦', '市消费者协会', 'other', ['market']],
];

/** [username, display name, role, unit] */
export const DEMO_USERS: [string, string, Role, string | null][] = [
  ['operator', '话务员小王', 'operator', null],
  ['reviewer', '审核员小李', 'reviewer', null],
  ['supervisor', '督办员老赵', 'supervisor', null],
  ['evaluator', '评价员张老师', 'evaluator', null],
  ...Array.from({ length: 11 }, (_, i): [string, string, Role, null] => [
    `evaluator${String(i + 2).padStart(2, '0')}`,
    `专业评价员${i + 2}号`,
    'evaluator',
    null,
  ]),
  ['admin', '系统管理员', 'admin', null],
  ['auditor', '个人信息审计员', 'auditor', null],
  ['forum', '寒山闻钟论坛接口', 'forum', null],
  ['clerk.housing', '住建局经办人', 'unit_clerk', 'housing'],
  ['clerk.transport', '交通局经办人', 'unit_clerk', 'transport'],
  ['clerk.environment', '生态环境局经办人', 'unit_clerk', 'environment'],
  ['clerk.market', '市场监管局经办人', 'unit_clerk', 'market'],
  ['clerk.gulou', '鼓楼区经办人', 'unit_clerk', 'gulou-gov'],
  ['clerk.discipline', '纪委监委经办人', 'unit_clerk', 'discipline'],
  ['clerk.hunan', '湖南路街道经办人', 'unit_clerk', 'gulou-hunan'],
  ['clerk.ninghai', '宁海路街道经办人', 'unit_clerk', 'gulou-ninghai'],
  ['clerk.matai', '马台街社区经办人', 'unit_clerk', 'gulou-hunan-matai'],
];

/**
 * Units' leaders (单位领导): unit users who review in person (经领导审核): [username, name, unit].
 * 湖南路街道 wants its leader to review in person (a clerk's review in the leader's name is refused).
 */
export const DEMO_LEADERS: [string, string, string][] = [
  ['leader.gulou', '李副区长', 'gulou-gov'],
  ['leader.hunan', '王主任', 'gulou-hunan'],
];
export const DEMO_LEADER_IN_PERSON_UNITS = ['gulou-hunan'];

export async function seedDemoCity(
  ds: DataSource,
  progress: (m: string) => void = () => undefined,
  activePolicySet = 'SQ',
  opts: { demoUsers?: boolean; pii?: PiiCipher } = {},
): Promise<void> {
  const demoUsers = opts.demoUsers ?? true;
  await ds.transaction(async (m) => {
    progress(`regions: ${DEMO_REGIONS.length}`);
    for (const [code, name, parent] of DEMO_REGIONS)
      await m.query(
        `INSERT INTO catalog.regions (code, name, parent_code) VALUES ($1,$2,$3) ON CONFLICT (code) DO NOTHING`,
        [code, name, parent],
      );
    progress(`units: ${DEMO_UNITS.length}`);
    for (const [id, name, kind, region] of DEMO_UNITS)
      await m.query(
        `INSERT INTO catalog.units (id, name, kind, region_code) VALUES ($1,$2,$3,$4) ON CONFLICT (id) DO NOTHING`,
        [id, name, kind, region],
      );
    progress(`sub-units of hubs: ${DEMO_SUB_UNITS.length}`);
    for (const [id, name, kind, region, hub] of DEMO_SUB_UNITS)
      await m.query(
        `INSERT INTO catalog.units (id, name, kind, region_code, parent_unit_id) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (id) DO NOTHING`,
        [id, name, kind, region, hub],
      );
    progress(`bodies for complaints about officials: ${DEMO_NATURE_BODIES.length}`);
    for (const [id, name, nature] of DEMO_NATURE_BODIES)
      await m.query(
        `INSERT INTO catalog.units (id, name, kind, complaint_nature) VALUES ($1,$2,'department',$3)
         ON CONFLICT (id) DO NOTHING`,
        [id, name, nature],
      );
    progress(`matter catalog entries: ${DEMO_CATALOG.length}`);
    for (const [id, name, category, region, unit, priority] of DEMO_CATALOG)
      await m.query(
        `INSERT INTO catalog.matter_catalog (id, name, category, region_code, unit_id, priority)
         VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (id) DO NOTHING`,
        [id, name, category, region, unit, priority],
      );
    progress(
      `SLA policy sets: ${SEED_POLICY_SETS.map((p) => p.code).join(', ')} (active: ${activePolicySet})`,
    );
    for (const set of SEED_POLICY_SETS)
      await m.query(
        `INSERT INTO policy.policy_sets (code, version, body, created_by) VALUES ($1,$2,$3,'seed')
         ON CONFLICT (code, version) DO NOTHING`,
        [set.code, set.version, set],
      );
    await m.query(
      `INSERT INTO policy.settings (key, value, updated_by) VALUES ('active_policy_set', $1, 'seed')
       ON CONFLICT (key) DO NOTHING`,
      [activePolicySet],
    );
    const cal = CN_MAINLAND_CALENDAR;
    progress(
      `calendar ${cal.id}: ${cal.holidays.length} holidays, ${cal.adjustedWorkdays.length} adjusted workdays`,
    );
    await m.query(
      `INSERT INTO policy.calendars (id, name, working_hours) VALUES ($1,$2,$3) ON CONFLICT (id) DO NOTHING`,
      [cal.id, cal.name, JSON.stringify(cal.workingHours)],
    );
    for (const [kind, days] of [
      ['holiday', cal.holidays],
      ['workday', cal.adjustedWorkdays],
    ] as const)
      await m.query(
        `INSERT INTO policy.calendar_days (calendar_id, day, kind, source)
         SELECT $1, d::date, $2, 'seed' FROM unnest($3::text[]) AS d ON CONFLICT (calendar_id, day) DO NOTHING`,
        [cal.id, kind, days],
      );
    if (!demoUsers) return;
    progress(`users: ${DEMO_USERS.length} (password "${DEMO_PASSWORD}")`);
    for (const [username, display, role, unit] of DEMO_USERS) {
      const exists = await m.query(`SELECT 1 FROM identity.users WHERE username = $1`, [username]);
      if (exists.length > 0) continue;
      await m.query(
        `INSERT INTO identity.users (id, username, display_name, password_hash, role, unit_id)
         VALUES ($1,$1,$2,$3,$4,$5)`,
        [username, display, await hashPassword(DEMO_PASSWORD), role, unit],
      );
    }
    for (const [username, display, unit] of DEMO_LEADERS)
      await m.query(
        `INSERT INTO identity.users (id, username, display_name, password_hash, role, unit_id, unit_leader)
         VALUES ($1,$1,$2,$3,'unit_clerk',$4,true) ON CONFLICT (username) DO NOTHING`,
        [username, display, await hashPassword(DEMO_PASSWORD), unit],
      );
    await m.query(`UPDATE catalog.units SET leader_review_in_person = true WHERE id = ANY($1)`, [
      DEMO_LEADER_IN_PERSON_UNITS,
    ]);
    const pii = opts.pii;
    if (!pii) return;
    progress(`expert evaluators: ${DEMO_EVALUATORS.length} (two-year terms from 2026-01-01)`);
    for (const [i, [username, name, nominatedBy, source, ties]] of DEMO_EVALUATORS.entries()) {
      const id = stableUuid(`demo-evaluator:${username}`);
      const phone = `139000000${String(i + 1).padStart(2, '0')}`;
      await m.query(
        `INSERT INTO evaluation.evaluators
           (id, user_id, name, phone, nominated_by, source, term_start, term_end, available, tied_unit_ids)
         VALUES ($1,$2,$3,$4,$5,$6,'2026-01-01',$7,true,$8) ON CONFLICT DO NOTHING`,
        [
          id,
          username,
          pii.encrypt(name, piiAad(id, 'name')),
          pii.encrypt(phone, piiAad(id, 'phone')),
          nominatedBy,
          source,
          termEndOf('2026-01-01'),
          ties,
        ],
      );
    }
  });
}

/**
 * Outside development and test: deactivates (and revokes the tokens of) every demo user whose
 * password is still the demo password, e.g. from a deployment seeded before demo users were kept
 * out of production. Returns their usernames.
 */
export async function disableDemoUsers(ds: DataSource): Promise<string[]> {
  const rows: { username: string; passwordHash: string }[] = await ds.query(
    `SELECT username, password_hash AS "passwordHash" FROM identity.users
     WHERE active AND username = ANY($1::text[])`,
    [DEMO_USERS.map(([username]) => username)],
  );
  const disabled: string[] = [];
  for (const r of rows)
    if (await verifyPassword(DEMO_PASSWORD, r.passwordHash)) {
      await ds.query(
        `UPDATE identity.users SET active = false, token_version = token_version + 1 WHERE username = $1`,
        [r.username],
      );
      disabled.push(r.username);
    }
  return disabled;
}
