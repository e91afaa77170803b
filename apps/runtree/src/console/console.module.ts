import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller.js';

/** The web console (`apps/console`, bundled into `dist/console`), served at /ui. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
