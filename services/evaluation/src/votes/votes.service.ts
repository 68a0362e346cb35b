import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { EntityManager } from 'typeorm';
import {
  cancelWithdrawn,
  CONFIG,
  executeWorkflowUpdate,
  PolicyRepository,
  ProblemException,
  requireTicket,
  startWorkflowOnce,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
  VoteRepository,
} from '@hotline/platform';
import { addDuration, WorkingCalendar } from '@hotline/shared';
import type { AnyTicketEvent, PlatformConfig, Verdict } from '@hotline/shared';
import type { AfterCommit } from '@hotline/platform';

const workflowId = (ticketNo: string) => `public-vote-${ticketNo}`;

/**
 * Public votes on forum tickets (SZ 寒山闻钟): the window opens when a forum ticket's reply is
 * approved (marked handled) and its workflow holds it; the forum registers who posted and casts
 * its users' votes, each an update the workflow accepts or refuses at once.
 */
@Injectable()
export class VotesService {
  private readonly logger = new Logger(VotesService.name);

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly votes: VoteRepository,
    private readonly ledger: TicketLedgerRepository,
    private readonly policies: PolicyRepository,
  ) {}

  /**
   * A reply was approved: for a forum ticket, its vote window opens (once; again only after a
   * withdrawal that came before this approval).
   */
  async open(ticketNo: string, unitId: string | null, approvedAt: string): Promise<void> {
    const ticket = await this.ledger.findCore(ticketNo);
    if (!ticket || ticket.channel !== 'forum' || !ticket.policy || !unitId) return;
    const w = await this.votes.window(ticketNo);
    if (w && !(w.status === 'withdrawn' && new Date(w.withdrawnAt).getTime() < Date.parse(approvedAt)))
      return;
    const calendar = new WorkingCalendar(
      await this.policies.calendarSnapshot(ticket.policy.calendarId, new Date(approvedAt)),
    );
    const closesAt = addDuration(
      new Date(approvedAt),
      ticket.policy.limits.votingWindow,
      calendar,
    ).toISOString();
    await startWorkflowOnce(
      this.temporal,
      'PublicVoteWorkflow',
      {
        workflowId: workflowId(ticketNo),
        taskQueue: this.config.temporalTaskQueue,
        args: [
          { ticketNo, unitId, posterId: await this.votes.posterOf(ticketNo), opensAt: approvedAt, closesAt },
        ],
        staticSummary: `公开评议 工单 ${ticketNo}`,
      },
      // The record above says whether a window may open; a withdrawn one's run has ended.
      { reuse: 'allow' },
    );
  }

  /**
   * The ticket's record was corrected: should no approval of its reply stand any more, the vote
   * that a voided approval opened (or is opening) is withdrawn in this transaction, and its
   * workflow called off once that commits.
   */
  async withdrawIfUnfounded(
    m: EntityManager,
    afterCommit: AfterCommit,
    ticketNo: string,
    standing: readonly AnyTicketEvent[],
    at: string,
  ): Promise<void> {
    if (standing.some((e) => e.type === 'ticket.reply_reviewed' && e.data.approved)) return;
    const ticket = await this.ledger.findCore(ticketNo);
    if (ticket?.channel !== 'forum' || !ticket.unitId) return;
    await this.votes.withdrawWindow(m, ticketNo, ticket.unitId, at);
    afterCommit(() => cancelWithdrawn(this.temporal, workflowId(ticketNo), (w) => this.logger.warn(w)));
  }

  async registerPoster(ticketNo: string, postId: string, posterId: string) {
    await requireTicket(this.ledger, ticketNo);
    const ticket = await this.ledger.findCore(ticketNo);
    if (ticket?.channel !== 'forum')
      throw new ProblemException('action_rejected', `ticket ${ticketNo} did not come from the forum`);
    // Under the ticket's vote lock: no vote is in flight between its check and its signal.
    return this.votes.underVoteLock(ticketNo, 'poster', async () => {
      if ((await this.votes.registerPoster(ticketNo, postId, posterId)) === 'votes_cast')
        throw new ProblemException(
          'conflict',
          `votes have been cast on ticket ${ticketNo}: its poster can no longer change, nor can a voter become it`,
        );
      await this.temporal.workflow
        .getHandle(workflowId(ticketNo))
        .signal('posterRegistered', posterId)
        .catch((err: unknown) => {
          // No window yet (or over): it starts with the registered poster. Anything else fails the
          // registration, rather than a poster the record names and the window never learns.
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
      return { ticketNo, postId, posterId };
    });
  }

  async vote(
    ticketNo: string,
    cmd: { voterId: string; verdict: Verdict; staff: boolean },
    key: string | null,
  ) {
    await requireTicket(this.ledger, ticketNo);
    // A withdrawn window takes no votes, even while its workflow is still being called off.
    if ((await this.votes.window(ticketNo))?.status === 'withdrawn')
      throw new ProblemException('vote_window_not_open', 'the vote window is not open for this ticket');
    const staff = cmd.staff || (await this.votes.isStaff(cmd.voterId));
    try {
      // The update answers once the vote is written: a poster's registration waits for it.
      const cast = await this.votes.underVoteLock(ticketNo, 'vote', () =>
        executeWorkflowUpdate(
          this.temporal,
          workflowId(ticketNo),
          'castVote',
          { ...cmd, staff },
          {
            updateId: key ? `castVote:${cmd.voterId}:${key}` : undefined,
            gone: () =>
              new ProblemException('vote_window_not_open', 'the vote window is not open for this ticket'),
          },
        ),
      );
      // Registered as staff while this vote was in flight (after the check above, before the
      // registration looked for its votes): the vote is dropped as the registration would have.
      if (!staff && (await this.votes.isStaff(cmd.voterId)))
        await this.temporal.workflow
          .getHandle(workflowId(ticketNo))
          .signal('staffRegistered', cmd.voterId)
          .catch((err: unknown) => {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          });
      return cast;
    } catch (err) {
      // The window's workflow is over or never began: which of the two, the record says.
      if (err instanceof ProblemException && err.code === 'vote_window_not_open')
        if ((await this.votes.window(ticketNo))?.status === 'closed')
          throw new ProblemException('vote_window_closed', 'the vote window has closed');
      throw err;
    }
  }

  async window(ticketNo: string) {
    await requireTicket(this.ledger, ticketNo);
    const w = await this.votes.window(ticketNo);
    if (!w) throw new ProblemException('not_found', `no vote window for ticket ${ticketNo}`);
    return w;
  }

  async staff() {
    return { items: await this.votes.staff() };
  }

  /**
   * Registers a staff account; a vote it cast in a window still open is dropped there (staff cannot
   * vote, RULES §4). A window whose workflow is gone has closed: its result stands.
   */
  async addStaff(accountId: string, by: string) {
    await this.votes.addStaff(accountId, by);
    for (const ticketNo of await this.votes.openWindowsVotedBy(accountId))
      await this.temporal.workflow
        .getHandle(workflowId(ticketNo))
        .signal('staffRegistered', accountId)
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
    return { accountId };
  }

  async removeStaff(accountId: string) {
    if (!(await this.votes.removeStaff(accountId)))
      throw new ProblemException('not_found', `no staff account ${accountId}`);
    return { accountId };
  }
}
