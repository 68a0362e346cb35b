import { Injectable } from '@nestjs/common';
import { pageOf, PersonalDataAccessRepository, ProblemException } from '@hotline/platform';
import type { AccessLogFilter, RevealRequest } from '@hotline/platform';
import { canReadPersonalDataLog, canRevealPersonalData } from '@hotline/shared';
import type { Principal } from '@hotline/shared';

/**
 * The complainant's plain data, on purpose and on the record: a reveal (centre roles, with a
 * reason) writes its access-log row in the same transaction; the auditor reads that log.
 */
@Injectable()
export class PersonalDataService {
  constructor(private readonly access: PersonalDataAccessRepository) {}

  async reveal(who: Principal, ticketNo: string, request: RevealRequest) {
    // The route's roles say the same; the rule itself is the shared one.
    if (!canRevealPersonalData(who))
      throw new ProblemException('forbidden', "this role may not reveal a complainant's personal data");
    const revealed = await this.access.reveal(ticketNo, who, request);
    if (!revealed) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return revealed;
  }

  async accessLog(who: Principal, filter: AccessLogFilter) {
    if (!canReadPersonalDataLog(who))
      throw new ProblemException('forbidden', 'only an auditor reads the personal-data access log');
    return pageOf(await this.access.list(filter), filter);
  }
}
