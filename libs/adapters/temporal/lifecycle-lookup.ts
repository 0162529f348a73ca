import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { invoiceWorkflowId } from '../../contracts/workflows';

/** The server's word on an invoice's lifecycle workflow: `running`, `completed`, `terminated`, … or `missing`. */
export class TemporalLifecycleLookup {
  constructor(private readonly client: Client) {}

  async status(sellerBan: string, invoiceNumber: string): Promise<string> {
    try {
      const description = await this.client.workflow.getHandle(invoiceWorkflowId(sellerBan, invoiceNumber)).describe();
      return description.status.name.toLowerCase();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'missing';
      throw error;
    }
  }
}
