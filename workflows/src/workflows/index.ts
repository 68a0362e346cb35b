export { TicketWorkflow } from './ticket.workflow';
