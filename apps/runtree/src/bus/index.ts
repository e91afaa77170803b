export { BusModule } from './bus.module.js';
export { connectBusTransports } from './bus-transports.js';
export { busNames, busOperations, type BusNames, type BusOperation } from './bus-names.js';
export { busOperationShapes, busRequestFields, type BusOperationShape } from './bus-payloads.js';
export { createAsyncApiDocument } from './asyncapi-document.js';
export { kindToken } from './bus-names.js';
export type { BusError, BusReply } from './bus-reply.js';
