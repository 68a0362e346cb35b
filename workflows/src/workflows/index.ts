export { TicketWorkflow } from '../ticket/ticket.workflow';
