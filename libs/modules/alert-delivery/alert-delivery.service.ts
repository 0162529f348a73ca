import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { Clock } from '../../adapters/clock/clock';
import { WebhookSender } from '../../adapters/webhook/webhook-sender';
import { AlertRecord } from '../alerts';
import { AlertDeliveriesRepository, DeliveryPayload, DeliveryRecord, DeliveryTarget } from './alert-deliveries.repository';
import { alertEmail, retryDelayMs } from './alert-notice';

export interface AlertDeliverySettings {
  /** Staff addresses; e-mail is off when empty or when no SMTP server is set. */
  emails: string[];
  /** Alerts of one kind arriving within this window after a notice go out together as one summary. */
  burstMs: number;
  retryBaseMs: number;
  maxAttempts: number;
}

/** The mail port as delivery needs it. */
export interface TextMailer {
  sendText(message: { to: string[]; subject: string; text: string }): Promise<string>;
}

/**
 * E-mail and webhook delivery of alerts. `enqueue` runs inside the transaction that opened the alert; `tick` (the
 * worker calls it every second) batches what waits — at most one notice per kind per burst window, so a flood
 * becomes one summary — and attempts what is due, retrying failures with exponential backoff.
 */
export class AlertDeliveryService {
  private readonly repository: AlertDeliveriesRepository;

  constructor(
    private readonly db: DataSource,
    private readonly settings: AlertDeliverySettings,
    private readonly targets: { mailer?: TextMailer; webhook?: WebhookSender },
    private readonly clock: Clock,
  ) {
    this.repository = new AlertDeliveriesRepository(db);
  }

  get enabledTargets(): DeliveryTarget[] {
    return [...(this.targets.mailer && this.settings.emails.length > 0 ? (['email'] as const) : []), ...(this.targets.webhook ? (['webhook'] as const) : [])];
  }

  async enqueue(alert: AlertRecord, manager?: Transaction): Promise<void> {
    if (this.enabledTargets.length === 0) return;
    await this.repository.enqueue(manager ?? this.db.manager, alert.id, alert.kind, this.clock.now());
  }

  /** One round: batch what is ready, then attempt what is due. Returns how many attempts were made. */
  async tick(): Promise<number> {
    await this.batchReady();
    return this.attemptDue();
  }

  async latest(): Promise<{ targets: DeliveryTarget[]; last: DeliveryRecord[] }> {
    return { targets: this.enabledTargets, last: await this.repository.latestPerTarget() };
  }

  async list(limit = 50): Promise<DeliveryRecord[]> {
    return this.repository.list(limit);
  }

  private async batchReady(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const waiting of await this.repository.waitingKinds()) {
      // The first alert of a quiet kind goes at once; later ones wait out the window and go together.
      if (waiting.lastBatchAt && waiting.lastBatchAt.getTime() + this.settings.burstMs > now) continue;
      await this.db.transaction(async (manager) => {
        const batchId = randomUUID();
        const alerts = await this.repository.takeBatch(manager, waiting.kind, batchId);
        if (alerts.length === 0) return;
        const payload: DeliveryPayload = { kind: waiting.kind, count: alerts.length, summary: alerts.length > 1, alerts };
        for (const target of this.enabledTargets) await this.repository.insertDelivery(manager, { batchId, target, payload, at: this.clock.now() });
      });
    }
  }

  private async attemptDue(): Promise<number> {
    // Each attempt in its own transaction, holding its row: a second worker never sends the same delivery at once.
    let attempts = 0;
    for (;;) {
      const sent = await this.db.transaction(async (manager) => {
        const [delivery] = await this.repository.lockDue(manager, this.clock.now(), 1);
        if (!delivery) return false;
        const outcome = await this.send(delivery);
        const at = this.clock.now();
        const exhausted = !outcome.ok && delivery.attempts + 1 >= this.settings.maxAttempts;
        await this.repository.recordAttempt(manager, delivery.id, {
          state: outcome.ok ? 'delivered' : exhausted ? 'failed' : 'pending',
          result: outcome.result,
          at,
          nextAttemptAt: new Date(at.getTime() + (outcome.ok ? 0 : retryDelayMs(delivery.attempts + 1, this.settings.retryBaseMs))),
        });
        return true;
      });
      if (!sent) return attempts;
      attempts += 1;
    }
  }

  private async send(delivery: DeliveryRecord): Promise<{ ok: boolean; result: string }> {
    if (delivery.target === 'webhook') {
      if (!this.targets.webhook) return { ok: false, result: 'webhook no longer configured' };
      return this.targets.webhook.send(delivery.id, { delivery: delivery.id, sentAt: this.clock.now().toISOString(), ...delivery.payload }, this.clock.now());
    }
    if (!this.targets.mailer || this.settings.emails.length === 0) return { ok: false, result: 'e-mail no longer configured' };
    try {
      const messageId = await this.targets.mailer.sendText({ to: this.settings.emails, ...alertEmail(delivery.payload) });
      return { ok: true, result: `sent ${messageId}` };
    } catch (error) {
      return { ok: false, result: (error as { code?: string }).code ?? (error as Error).message };
    }
  }
}
