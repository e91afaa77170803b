import { Catch, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Answers a failed health check with terminus's own 503 body (`status`, `info`, `error`, `details`).
 * Scoped to the health controller, so it runs before the app's global filters, which would
 * otherwise turn terminus's exception into their own error envelope.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFailedFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(failure: ServiceUnavailableException, host: ArgumentsHost): void {
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), failure.getResponse(), failure.getStatus());
  }
}
