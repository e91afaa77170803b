import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { RuntreeConfig } from '../config.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { RUNTREE_CONFIG } from './runtree-config.token.js';

/** The configuration for every module, and the bearer-token guard on every HTTP route. */
@Global()
@Module({})
export class SecurityModule {
  static forConfig(config: RuntreeConfig): DynamicModule {
    return {
      module: SecurityModule,
      providers: [
        { provide: RUNTREE_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
      ],
      exports: [RUNTREE_CONFIG],
    };
  }
}
