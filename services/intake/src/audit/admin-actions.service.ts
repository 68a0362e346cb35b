import { Injectable } from '@nestjs/common';
import { AdminActionRepository, pageOf } from '@hotline/platform';
import type { AdminActionFilter } from '@hotline/platform';

/** Reads the trail, a page at a time. */
@Injectable()
export class AdminActionsService {
  constructor(private readonly actions: AdminActionRepository) {}

  async list(filter: AdminActionFilter) {
    return pageOf(await this.actions.list(filter), filter);
  }
}
