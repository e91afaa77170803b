/** Where the service serves its documents (all open, like /health). Swagger serves OpenAPI at `<ui path>-json`. */
export const OPENAPI_UI_PATH = '/docs';
export const OPENAPI_PATH = '/docs-json';
export const ASYNCAPI_PATH = '/docs/asyncapi.json';
