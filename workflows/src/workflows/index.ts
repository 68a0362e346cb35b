export { TicketWorkflow } from '../ticket/ticket.workflow';
export { ExpertEvaluationWorkflow } from '../evaluation/expert-evaluation.workflow';
