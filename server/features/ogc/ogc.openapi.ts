// The OGC API's own definition at /ogc/api: the OGC paths of the site's OpenAPI document with
// this landing page as the server, so that `/collections/{collectionId}/items` is where GDAL
// looks for it (it resolves paths relative to the landing page, not to the site). Built from
// the one document, never written twice.
import type { Request, Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { OPENAPI_MEDIA_TYPE, openApiDocument } from '../openapi/openapi.document';

export { OPENAPI_MEDIA_TYPE };

export function ogcApiDocument(siteBase: string, ogcBase: string): OpenAPIV3.Document {
  const site = openApiDocument(siteBase);
  const paths: OpenAPIV3.PathsObject = {};
  for (const [path, item] of Object.entries(site.paths)) {
    if (path === '/ogc') paths['/'] = item;
    else if (path.startsWith('/ogc/')) paths[path.slice('/ogc'.length)] = item;
  }
  return {
    ...site,
    info: { ...site.info, title: 'Wegfrei – OGC API – Features' },
    servers: [{ url: ogcBase, description: 'The OGC API – Features landing page of this server' }],
    tags: site.tags?.filter((t) => t.name === 'ogc'),
    paths,
  };
}

/** One document per base URL, as /api/openapi.json caches its own. */
const documents = new Map<string, string>();

export function sendOgcApiDocument(req: Request, res: Response, siteBase: string): void {
  let body = documents.get(siteBase);
  if (body === undefined) {
    body = JSON.stringify(ogcApiDocument(siteBase, `${siteBase}/ogc`));
    if (documents.size < 8) documents.set(siteBase, body);
  }
  const asJson = req.accepts(['application/vnd.oai.openapi+json', 'application/json']) === 'application/json';
  res
    .set({
      'Content-Type': asJson ? 'application/json; charset=utf-8' : `${OPENAPI_MEDIA_TYPE}; charset=utf-8`,
      'Cache-Control': 'public, max-age=300',
    })
    .vary('Accept')
    .send(body);
}
