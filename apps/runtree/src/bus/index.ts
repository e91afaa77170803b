export { BusModule } from './bus.module.js';
export { connectBusTransports } from './bus-transports.js';
export { busNames, busOperations, type BusNames, type BusOperation } from './bus-names.js';
export { busPayloads, type BusPayload } from './bus-payloads.js';
export type { BusError, BusReply } from './bus-reply.js';
