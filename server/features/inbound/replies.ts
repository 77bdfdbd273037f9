// Answers to the people who wrote: through the gateway their message came by, in the language
// they wrote in, never after they sent STOP. A gateway registers how it sends; a failed send is
// logged without the number (contact data never reaches a log line) and does not fail the work
// that caused it.
import type pg from 'pg';
import type { Logger } from '../../logger';
import type { Language } from './inbound.parse';
import * as repo from './inbound.repo';

export interface ReplyGateway {
  /** As stored in inbound_messages.gateway ('twilio', 'android', 'telegram'). */
  gateway: string;
  send(to: string, text: string): Promise<void>;
}

export interface ReplyTarget {
  channel: repo.Channel;
  gateway: string;
  sender: string;
  language: Language;
}

export class Replies {
  private readonly gateways = new Map<string, ReplyGateway>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  register(gateway: ReplyGateway): void {
    this.gateways.set(gateway.gateway, gateway);
  }

  /** Sends unless the sender opted out or the gateway is not configured; true when sent. */
  async send(target: ReplyTarget, text: (language: Language) => string): Promise<boolean> {
    const gateway = this.gateways.get(target.gateway);
    if (!gateway) return false;
    try {
      if (await repo.isOptedOut(this.pool, target.channel, target.sender)) return false;
      await gateway.send(target.sender, text(target.language));
      return true;
    } catch (err) {
      this.logger.warn(
        { gateway: target.gateway, err: { message: (err as Error).message } },
        'A reply could not be sent',
      );
      return false;
    }
  }

  /** Tells everyone who wrote about a report (and did not opt out); in the background. */
  notifyReport(reportId: number, text: (language: Language) => string): void {
    void repo
      .repliesFor(this.pool, reportId)
      .then((targets) => Promise.all(targets.map((t) => this.send(t, text))))
      .catch((err: unknown) =>
        this.logger.warn({ reportId, err: { message: (err as Error).message } }, 'Replies could not be sent'),
      );
  }
}
