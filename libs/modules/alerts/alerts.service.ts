import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { Clock } from '../../adapters/clock/clock';
import { DomainError } from '../../domain';
import { AlertFilter, AlertRecord, RaiseAlert, RaisedAlert } from './alert.records';
import { AlertsRepository } from './alerts.repository';

/**
 * Told of every alert this service opens (new, or back after it was resolved): e-mail, webhook, dashboard push; with
 * the transaction of the raise, when there is one, so what it records commits or rolls back with the alert.
 */
export type AlertListener = (alert: AlertRecord, manager?: Transaction) => void | Promise<void>;

/**
 * Alerts as first-class records (SPEC "Alerts"): raised once per cause (kind + causeKey), acknowledged by a named
 * key holder, resolved when the cause is gone. Every method takes an optional transaction, so a caller raises or
 * resolves in the same commit as the change that causes it.
 */
export class AlertsService {
  private readonly listeners: AlertListener[] = [];

  constructor(
    private readonly repository: AlertsRepository,
    private readonly clock: Clock,
  ) {}

  static create(db: DataSource, clock: Clock): AlertsService {
    return new AlertsService(new AlertsRepository(db), clock);
  }

  /** Delivery hooks in here; a listener's failure is its own (retry, summarise) and never undoes the raise. */
  onOpened(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  /** Idempotent per cause: the first call opens the alert, later ones count the repeat and refresh message and detail. */
  async raise(input: RaiseAlert, manager?: Transaction): Promise<RaisedAlert> {
    const raised = await this.repository.upsert(input, this.clock.now(), manager);
    if (raised.opened) {
      for (const listener of this.listeners) {
        await Promise.resolve(listener(raised.alert, manager)).catch(() => undefined);
      }
    }
    return raised;
  }

  /** The cause is gone. Resolving a cause never raised, or already resolved, is a no-op. */
  async resolve(kind: string, causeKey: string, manager?: Transaction): Promise<AlertRecord | undefined> {
    return this.repository.resolve(kind, causeKey, this.clock.now(), manager);
  }

  /** Resolves every alert of the given kinds with one cause (e.g. all of an upload's once it is accepted). */
  async resolveCauses(kinds: string[], causeKey: string, manager?: Transaction): Promise<number> {
    return this.repository.resolveCauses(kinds, causeKey, this.clock.now(), manager);
  }

  /** Resolves every alert of the given kinds about a subject, e.g. all deadline alerts of an invoice once accepted. */
  async resolveSubject(kinds: string[], subject: RaiseAlert['subject'], manager?: Transaction): Promise<number> {
    return this.repository.resolveSubject(kinds, subject, this.clock.now(), manager);
  }

  /** A named staff member has seen it. Acknowledging twice keeps the first; a resolved alert stays resolved. */
  async acknowledge(id: string, by: { name: string; keyId: string | null }): Promise<AlertRecord> {
    const alert = await this.repository.acknowledge(id, by, this.clock.now());
    if (!alert) throw new DomainError('not_found', 'ALERT.NOT_FOUND', `no alert ${id}`);
    return alert;
  }

  async get(id: string): Promise<AlertRecord> {
    const alert = await this.repository.findById(id);
    if (!alert) throw new DomainError('not_found', 'ALERT.NOT_FOUND', `no alert ${id}`);
    return alert;
  }

  list(filter: AlertFilter): Promise<{ alerts: AlertRecord[]; nextCursor: string | null }> {
    return this.repository.list(filter);
  }
}
