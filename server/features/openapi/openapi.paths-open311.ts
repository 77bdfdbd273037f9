// Open311 GeoReport v2 under /open311/v2. Every path also exists with `.xml` instead of
// `.json`, answering the same content as XML (GeoReport v2's own element names).
import type { OpenAPIV3 } from 'openapi-types';
import { response, schemaRef } from './openapi.parameters';

const XML =
  'Also as XML: replace `.json` with `.xml` (`text/xml`, the element names of GeoReport v2). Errors are `[{"code": 400, "description": "…"}]`.';
const ok = (description: string, schema: string): OpenAPIV3.ResponseObject => ({
  description,
  content: { 'application/json': { schema: schemaRef(schema) } },
});
const errors = (...codes: string[]) => Object.fromEntries(codes.map((c) => [c, response('Open311Error')]));
const locale: OpenAPIV3.ParameterObject = {
  name: 'locale',
  in: 'query',
  description: 'Language of names and notes: `en`, `de` or `fr` (else `Accept-Language`, else English).',
  schema: { type: 'string', enum: ['en', 'de', 'fr'] },
};
const serviceCode: OpenAPIV3.ParameterObject = {
  name: 'service_code',
  in: 'path',
  required: true,
  description: 'A category code.',
  schema: { type: 'string' },
  example: 'steps',
};

const requestsParameters: OpenAPIV3.ParameterObject[] = [
  {
    name: 'service_request_id',
    in: 'query',
    description: 'Comma-separated ids; when given, the other filters are ignored.',
    schema: { type: 'string' },
  },
  { name: 'service_code', in: 'query', description: 'Comma-separated codes.', schema: { type: 'string' } },
  { name: 'start_date', in: 'query', schema: { type: 'string', format: 'date-time' } },
  { name: 'end_date', in: 'query', schema: { type: 'string', format: 'date-time' } },
  { name: 'status', in: 'query', description: '`open`, `closed` or both.', schema: { type: 'string' } },
  {
    name: 'page',
    in: 'query',
    description:
      '`page` × `page_size` is at most 10000 (a 400 naming `page` beyond): the newest 10,000 matching requests. Reach older ones with `start_date` and `end_date`.',
    schema: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 },
  },
  { name: 'page_size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
  locale,
];

export const open311Paths: OpenAPIV3.PathsObject = {
  '/open311/v2/discovery.json': {
    get: {
      tags: ['open311'],
      operationId: 'open311Discovery',
      summary: 'Service discovery',
      description: XML,
      responses: { '200': ok('The endpoints of this server.', 'Open311Discovery') },
    },
  },
  '/open311/v2/services.json': {
    get: {
      tags: ['open311'],
      operationId: 'open311Services',
      summary: 'The services: the taxonomy, grouped barrier / help',
      description: XML,
      parameters: [locale],
      responses: {
        '200': {
          description: 'Every category as a service.',
          content: { 'application/json': { schema: { type: 'array', items: schemaRef('Open311Service') } } },
        },
      },
    },
  },
  '/open311/v2/services/{service_code}.json': {
    get: {
      tags: ['open311'],
      operationId: 'open311ServiceDefinition',
      summary: "A service's attributes (severity, passability, people_count)",
      description: XML,
      parameters: [serviceCode, locale],
      responses: { '200': ok('The service definition.', 'Open311ServiceDefinition'), ...errors('404') },
    },
  },
  '/open311/v2/requests.json': {
    get: {
      tags: ['open311'],
      operationId: 'open311Requests',
      summary: 'Service requests (public reports), newest first',
      description: `Help requests appear on their coarse public point without address; contact details never. ${XML}`,
      parameters: requestsParameters,
      responses: { '200': ok('The matching requests.', 'Open311Requests'), ...errors('400') },
    },
    head: {
      tags: ['open311'],
      operationId: 'open311RequestsHead',
      summary: 'Service requests: headers only',
      description: 'The checks and headers of GET, no query and no body.',
      parameters: requestsParameters,
      responses: { '200': { description: 'The headers of the list, no body.' }, ...errors('400') },
    },
    post: {
      tags: ['open311'],
      operationId: 'open311CreateRequest',
      summary: 'Post a service request (a report) with an API key',
      description: `Form-encoded, or multipart with the photo as file \`media\`. The \`api_key\` goes in the form (GeoReport v2) or in the \`X-API-Key\` header (or \`Authorization: Bearer …\`), never the URL (a 403, even beside a key elsewhere); two different keys are a 403. Contact fields (\`email\`, names, \`phone\`) are kept for staff only. ${XML}`,
      parameters: [
        {
          name: 'X-API-Key',
          in: 'header',
          description:
            'The API key, instead of the form’s `api_key` (`Authorization: Bearer …` works the same). Never logged.',
          schema: { type: 'string' },
        },
        {
          name: 'Idempotency-Key',
          in: 'header',
          description: 'Optional UUID made once per request: a retry answers with the first result.',
          schema: { type: 'string', format: 'uuid' },
        },
        locale,
      ],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': { schema: schemaRef('Open311NewRequest') },
          'multipart/form-data': { schema: schemaRef('Open311NewRequestMultipart') },
        },
      },
      responses: {
        '201': ok('Created: its id and where to follow it.', 'Open311Created'),
        ...errors('400', '403', '404', '413', '415', '429', '503'),
      },
    },
  },
  '/open311/v2/requests/{service_request_id}.json': {
    get: {
      tags: ['open311'],
      operationId: 'open311Request',
      summary: 'One service request (in a list of one, as GeoReport v2 says)',
      description: `An id that names no public request is a 404, whether no report has it or it cannot be one (\`abc\`). ${XML}`,
      parameters: [{ name: 'service_request_id', in: 'path', required: true, schema: { type: 'string' } }, locale],
      responses: { '200': ok('The request.', 'Open311Requests'), ...errors('404') },
    },
  },
};
