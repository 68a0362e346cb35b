export { TicketWorkflow } from '../ticket/ticket.workflow';
export { ExpertEvaluationWorkflow } from '../evaluation/expert-evaluation.workflow';
export { PublicVoteWorkflow } from '../evaluation/public-vote.workflow';
export { ReconsiderationWorkflow } from '../evaluation/reconsideration.workflow';
