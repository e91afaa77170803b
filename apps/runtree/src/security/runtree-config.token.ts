/** Injects the service's `RuntreeConfig` (see config.ts) into guards and controllers. */
export const RUNTREE_CONFIG = Symbol('RUNTREE_CONFIG');
