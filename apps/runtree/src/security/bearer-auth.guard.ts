import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OrchestratorError } from '@runtree/orchestration';
import type { ServerResponse } from 'node:http';
import type { HttpRequest } from '../http/express-types.js';
import { ConsoleController } from '../console/console.controller.js';
import { HealthController } from '../ops/health/health.controller.js';
import type { RuntreeConfig } from '../config.js';
import { ADMIN_ONLY } from './admin-only.decorator.js';
import { bearerTokenOf, tokenMatches } from './bearer-token.js';
import { RUNTREE_CONFIG } from './runtree-config.token.js';

/** Routes that stay open with RUNTREE_API_TOKEN set: probes must not need a secret; the console's page asks for the token. */
const openControllers: readonly unknown[] = [HealthController, ConsoleController];

/**
 * Every HTTP route: admin routes are off without RUNTREE_ADMIN_TOKEN and need it when it is set;
 * with RUNTREE_API_TOKEN set, the other routes need it (or the admin token), except the open ones.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RUNTREE_CONFIG) private readonly config: RuntreeConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true; // bus handlers: the broker's own credentials guard them
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<ServerResponse>();
    const presented = bearerTokenOf(request);
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [context.getHandler(), context.getClass()])) {
      const { adminToken } = this.config;
      if (adminToken === undefined) {
        throw new OrchestratorError('not_found', `No route ${request.method} ${request.path}: admin routes are off (set RUNTREE_ADMIN_TOKEN to turn them on)`, {
          method: request.method,
          path: request.path,
        });
      }
      if (!tokenMatches(presented, adminToken)) throw unauthorized(response, presented, 'this admin route needs Authorization: Bearer <RUNTREE_ADMIN_TOKEN>');
      return true;
    }
    const { apiToken, adminToken } = this.config;
    if (apiToken === undefined || openControllers.includes(context.getClass())) return true;
    if (tokenMatches(presented, apiToken) || (adminToken !== undefined && tokenMatches(presented, adminToken))) return true;
    throw unauthorized(response, presented, 'the API needs Authorization: Bearer <RUNTREE_API_TOKEN>');
  }
}

/** 401 with the RFC 6750 challenge; the presented token is never echoed. */
function unauthorized(response: ServerResponse, presented: string | undefined, need: string): OrchestratorError {
  const wrong = presented !== undefined;
  response.setHeader('WWW-Authenticate', wrong ? 'Bearer realm="runtree", error="invalid_token"' : 'Bearer realm="runtree"');
  const message = wrong ? `The bearer token is not valid: ${need}` : `No bearer token: ${need}`;
  return new OrchestratorError('unauthorized', message, { reason: wrong ? 'invalid_token' : 'missing_token' });
}
