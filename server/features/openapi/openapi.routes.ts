// The API description (OpenAPI 3.0.3) at /api/openapi.json and a readable page at /api/docs.
import { Router, type Request, type Response } from 'express';
import { OPENAPI_MEDIA_TYPE, openApiDocument } from './openapi.document';
import { renderDocsPage } from './openapi.html';

const OPENAPI_TYPE = 'application/vnd.oai.openapi+json';

/**
 * Sends an OpenAPI document, built once per base URL (a deployment has one or two; at most
 * eight kept). GDAL and OGC clients ask for the OpenAPI media type; a client that names only
 * JSON gets JSON. Other origins read it through server/http/cors.ts.
 */
export function sendOpenApi(
  req: Request,
  res: Response,
  cache: Map<string, string>,
  base: string,
  build: () => object,
): void {
  let body = cache.get(base);
  if (body === undefined) {
    body = JSON.stringify(build());
    if (cache.size < 8) cache.set(base, body);
  }
  const asJson = req.accepts([OPENAPI_TYPE, 'application/json']) === 'application/json';
  res.set({
    'Content-Type': asJson ? 'application/json; charset=utf-8' : `${OPENAPI_MEDIA_TYPE}; charset=utf-8`,
    'Cache-Control': 'public, max-age=300',
  });
  // Added to, not set: without PUBLIC_URL the body also varies by Host (server/http/host.ts).
  res.vary('Accept').send(body);
}

export function openapiRouter(opts: { baseUrl: (req: Request) => string }): Router {
  const router = Router();
  // One page and one document per base URL (a deployment has one or two); both are pure, so
  // cache them: built for every request, fifty parallel asks for the 97 KB document held the
  // event loop and /healthz for over a second.
  const pages = new Map<string, string>();
  const documents = new Map<string, string>();

  router.get('/api/openapi.json', (req, res) => {
    const base = opts.baseUrl(req);
    sendOpenApi(req, res, documents, base, () => openApiDocument(base));
  });

  router.get('/api/docs', (req, res) => {
    const base = opts.baseUrl(req);
    let page = pages.get(base);
    if (page === undefined) {
      page = renderDocsPage(openApiDocument(base), { json: '/api/openapi.json', data: '/data' });
      if (pages.size < 8) pages.set(base, page);
    }
    res.set('Cache-Control', 'public, max-age=300').type('html').send(page);
  });

  return router;
}
