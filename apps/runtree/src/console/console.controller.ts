import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OrchestratorError } from '@runtree/orchestration';
import { consoleBundleDir, consoleFile, type ConsoleFile } from './console-bundle.js';

/** The page loads only the bundle's own files and talks only to this service. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The web console at /ui: the page, then its assets, whose names carry a content hash (so they are
 * cached for good, and the page, which names them, never is). Open without a token: the page asks
 * for one and sends it on every API call.
 */
@ApiExcludeController()
@Controller('ui')
export class ConsoleController {
  private readonly dir = consoleBundleDir();

  @Get()
  @Header('Cache-Control', 'no-cache')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('X-Content-Type-Options', 'nosniff')
  async page(): Promise<StreamableFile> {
    return streamed(await this.file('index.html'));
  }

  @Get(':file')
  @Header('Cache-Control', 'public, max-age=31536000, immutable')
  @Header('X-Content-Type-Options', 'nosniff')
  async asset(@Param('file') name: string): Promise<StreamableFile> {
    return streamed(await this.file(name));
  }

  private async file(name: string): Promise<ConsoleFile> {
    const file = await consoleFile(this.dir, name);
    if (file !== undefined) return file;
    const hint = name === 'index.html' ? ' (the console is not built: run npm run build)' : '';
    throw new OrchestratorError('not_found', `No console file ${name}${hint}`, { file: name });
  }
}

function streamed(file: ConsoleFile): StreamableFile {
  return new StreamableFile(file.body, { type: file.contentType, length: file.body.length });
}
