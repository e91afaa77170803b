import { Controller, Get, Header, HttpStatus, Param, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrchestratorError } from '@runtree/orchestration';
import { ApiRoute } from '../http/api-route.decorator.js';
import { consoleBundleDir, consoleFile, type ConsoleFile } from './console-bundle.js';

/** The page loads only the bundle's own files and talks only to this service. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The web console at /ui: the page, then its assets, whose names carry a content hash (so they are
 * cached for good, and the page, which names them, never is). Open without a token: the page asks
 * for one and sends it on every API call.
 */
@ApiTags('console')
@Controller('ui')
export class ConsoleController {
  private readonly dir = consoleBundleDir();

  @Get()
  @ApiRoute({
    access: 'open',
    summary: 'The web console: its page (it asks for the API token when one is set, and sends it on every call)',
    status: HttpStatus.OK,
    result: { type: 'string' },
    resultContent: { 'text/html': { type: 'string' } },
    errors: [HttpStatus.NOT_FOUND],
  })
  @Header('Cache-Control', 'no-cache')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('X-Content-Type-Options', 'nosniff')
  async page(): Promise<StreamableFile> {
    return streamed(await this.file('index.html'));
  }

  @Get(':file')
  @ApiRoute({
    access: 'open',
    summary: "One of the console's files, named with its content hash: the page's script, its styles",
    status: HttpStatus.OK,
    result: { type: 'string' },
    resultContent: { 'text/javascript': { type: 'string' }, 'text/css': { type: 'string' }, 'image/svg+xml': { type: 'string' }, 'application/json': {} },
    errors: [HttpStatus.NOT_FOUND],
  })
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
