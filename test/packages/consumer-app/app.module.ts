import { Module, type DynamicModule } from '@nestjs/common';
import { OrchestratorModule } from '@runtree/orchestration';

/** A consumer's root module: Runtree on the embedded store in one SQLite file. */
@Module({})
export class AppModule {
  static onSqliteFile(path: string): DynamicModule {
    return { module: AppModule, imports: [OrchestratorModule.forRoot({ store: { kind: 'sqlite', path } })] };
  }
}
