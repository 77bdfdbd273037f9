// The OGC API's own definition at /ogc/api: the OGC paths of the site's OpenAPI document with
// this landing page as the server, so that `/collections/{collectionId}/items` is where GDAL
// looks for it (it resolves paths relative to the landing page, not to the site). Built from
// the one document, never written twice.
import type { Request, Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { OPENAPI_MEDIA_TYPE, openApiDocument } from '../openapi/openapi.document';
import { sendOpenApi } from '../openapi/openapi.routes';
import { COLLECTIONS } from './ogc.collections';

export { OPENAPI_MEDIA_TYPE };

export function ogcApiDocument(siteBase: string, ogcBase: string): OpenAPIV3.Document {
  const site = openApiDocument(siteBase);
  const paths: OpenAPIV3.PathsObject = {};
  for (const [path, item] of Object.entries(site.paths)) {
    if (path === '/ogc') paths['/'] = item;
    else if (path.startsWith('/ogc/')) paths[path.slice('/ogc'.length)] = item;
  }
  const parameters = { ...site.components!.parameters };
  // QGIS reads a property filter it may send as `name=value` from a single-valued parameter
  // (style form, not exploded, a string), listed under each collection's own items path; GDAL
  // reads the same. The comma lists are offered so: one value, or several separated by commas.
  for (const name of SIMPLE_FILTERS) {
    const p = parameters[name] as OpenAPIV3.ParameterObject;
    const items = (p.schema as OpenAPIV3.ArraySchemaObject).items as OpenAPIV3.SchemaObject;
    parameters[`${name}One`] = {
      ...p,
      schema: { type: 'string', ...(items.enum ? { example: items.enum[0] as string } : {}) },
      description: `${p.description} One value, or several separated by commas.`,
    };
  }
  const items = paths['/collections/{collectionId}/items']!.get!;
  for (const [id, { kinds }] of Object.entries(COLLECTIONS)) {
    paths[`/collections/${id}/items`] = {
      get: {
        ...items,
        operationId: `ogcItems_${id}`,
        parameters: (items.parameters as OpenAPIV3.ReferenceObject[])
          .filter((p) => !p.$ref.endsWith('/collectionId') && !(kinds && p.$ref.endsWith('/kind')))
          .map((p) => {
            const name = p.$ref.split('/').pop()!;
            return (SIMPLE_FILTERS as readonly string[]).includes(name) ? { $ref: `${p.$ref}One` } : p;
          }),
      },
    };
  }
  return {
    ...site,
    info: { ...site.info, title: 'Wegfrei – OGC API – Features' },
    servers: [{ url: ogcBase, description: 'The OGC API – Features landing page of this server' }],
    tags: site.tags?.filter((t) => t.name === 'ogc'),
    paths,
    components: { ...site.components, parameters },
  };
}

const SIMPLE_FILTERS = ['category', 'kind', 'status', 'severity', 'source'] as const;

/** One document per base URL, as /api/openapi.json keeps its own. */
const documents = new Map<string, string>();

export function sendOgcApiDocument(req: Request, res: Response, siteBase: string): void {
  sendOpenApi(req, res, documents, siteBase, () => ogcApiDocument(siteBase, `${siteBase}/ogc`));
}
