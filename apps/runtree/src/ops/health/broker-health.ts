import { Injectable } from '@nestjs/common';

/** Answers whether a broker connection is usable right now; a rejection counts as "no". */
export type BrokerLivenessProbe = () => Promise<boolean>;

/**
 * Where the bus intake registers each enabled broker's liveness, so that /health reports every
 * broker without knowing the bus code. A broker that is off registers nothing and is not checked.
 */
@Injectable()
export class BrokerHealth {
  private readonly probes = new Map<string, BrokerLivenessProbe>();

  /** `name` becomes the health indicator's key (`nats`, `rabbitmq`); registering it again replaces the probe. */
  register(name: string, probe: BrokerLivenessProbe): void {
    this.probes.set(name, probe);
  }

  get registered(): ReadonlyMap<string, BrokerLivenessProbe> {
    return this.probes;
  }
}
