import { DataSource } from 'typeorm';
import { AllowancesRepository } from './allowances.repository';
import { DeadlineBoardRepository } from './deadline-board.repository';
import { InvoiceMessagesRepository } from './invoice-messages.repository';
import { InvoicePrintsRepository } from './invoice-prints.repository';
import { InvoiceSearchRepository } from './invoice-search.repository';
import { InvoicesRepository } from './invoices.repository';
import { TurnkeyUploadsRepository } from './turnkey-uploads.repository';

/** The invoice area's tables, each behind its repository. */
export class InvoiceRepositories {
  readonly invoices: InvoicesRepository;
  readonly messages: InvoiceMessagesRepository;
  readonly uploads: TurnkeyUploadsRepository;
  readonly allowances: AllowancesRepository;
  readonly search: InvoiceSearchRepository;
  readonly board: DeadlineBoardRepository;
  readonly prints = new InvoicePrintsRepository();

  constructor(db: DataSource) {
    this.invoices = new InvoicesRepository(db);
    this.messages = new InvoiceMessagesRepository(db);
    this.uploads = new TurnkeyUploadsRepository(db);
    this.allowances = new AllowancesRepository(db);
    this.search = new InvoiceSearchRepository(db);
    this.board = new DeadlineBoardRepository(db);
  }
}
