import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AlertDeliveryService } from '../../libs/modules/alert-delivery';

const TICK_MS = 500;

/** Sends queued alert notices from the worker: a round every half second; several workers share the queue safely. */
@Injectable()
export class AlertDeliveryLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlertDelivery');
  private timer?: NodeJS.Timeout;
  private current: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(@Inject(AlertDeliveryService) private readonly delivery: AlertDeliveryService) {}

  onApplicationBootstrap(): void {
    if (this.delivery.enabledTargets.length === 0) return;
    const round = () => {
      this.current = this.delivery.tick().then(
        () => undefined,
        (error) => this.logger.error(`alert delivery round failed: ${(error as Error).message}`),
      );
      void this.current.then(() => {
        if (!this.stopped) this.timer = setTimeout(round, TICK_MS);
      });
    };
    round();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }
}
