import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { AppConfig } from '../../libs/config/config';

/** Owns the Temporal Worker: starts polling once the app is up, drains and stops on shutdown. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TemporalWorker');
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const { address, namespace, taskQueue } = this.config.temporal;
    this.connection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: {},
    });
    this.running = this.worker.run();
    this.running.catch((error) => this.logger.error(`worker stopped: ${error}`));
    this.logger.log(`polling task queue '${taskQueue}' on ${address}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
