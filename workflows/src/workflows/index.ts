export { TicketWorkflow } from '../ticket/ticket.workflow';
export { ExpertEvaluationWorkflow } from '../evaluation/expert/expert-evaluation.workflow';
export { PublicVoteWorkflow } from '../evaluation/vote/public-vote.workflow';
export { ReconsiderationWorkflow } from '../evaluation/reconsideration/reconsideration.workflow';
export { SupervisionOrderWorkflow } from '../supervision/order/supervision-order.workflow';
export { IndicatorDeadlineWorkflow } from '../supervision/indicator/indicator-deadline.workflow';
export { PlanDeadlineWorkflow } from '../supervision/plan/plan-deadline.workflow';
