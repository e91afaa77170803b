/** Nest token of the configured bus prefix (`RUNTREE_BUS_PREFIX`, default `runtree`). */
export const BUS_PREFIX = Symbol('BUS_PREFIX');
