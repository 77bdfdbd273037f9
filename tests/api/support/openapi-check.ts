// Checks a real response against the OpenAPI document: the operation exists, the status is
// declared, the Content-Type is one the operation declares, and the body matches its schema
// (ajv; OpenAPI 3.0 `nullable` is an ajv keyword). The validator of the document itself is an
// ES module, so it runs in a child process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIV3 } from 'openapi-types';
import type request from 'supertest';

type Doc = OpenAPIV3.Document;

/** Runs @seriousme/openapi-schema-validator on the document; returns its verdict. */
export function validateDocument(doc: unknown): { valid: boolean; errors?: unknown } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wegfrei-oas-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
  const run = spawnSync(process.execPath, [cli, file], { encoding: 'utf8' });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  try {
    return JSON.parse(run.stdout) as { valid: boolean; errors?: unknown };
  } catch {
    return { valid: false, errors: run.stderr || run.stdout };
  }
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();
const isJson = (type: string) => /[/+]json$/.test(type);

export interface OpenApiChecker {
  doc: Doc;
  /** The path template of the document that a concrete path matches (literal segments first). */
  template(pathname: string): string | undefined;
  /** Validates a value against a component schema; returns ajv's errors or null. */
  validateSchema(name: string, value: unknown): unknown[] | null;
  /**
   * Asserts that the response is one the document describes; returns it for chaining. A 404
   * of the app's catch-all ("No resource at …") fails unless `fallthrough` says the route
   * itself passes unknown names on to it.
   */
  check(res: request.Response, opts?: { fallthrough?: boolean }): request.Response;
}

export function openApiChecker(doc: Doc): OpenApiChecker {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const f of ['binary', 'password', 'int32', 'int64', 'float', 'double']) ajv.addFormat(f, true);
  ajv.addSchema(doc, 'openapi');
  const byPointer = (pointer: string) => ajv.compile({ $ref: `openapi#${pointer}` });

  const templates = Object.keys(doc.paths).map((t) => {
    const pattern = t
      .split(/(\{[^{}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return { t, re: new RegExp(`^${pattern}$`), params: (t.match(/\{/g) ?? []).length };
  });

  function template(pathname: string): string | undefined {
    return templates
      .filter((x) => x.re.test(pathname))
      .sort((a, b) => a.params - b.params)
      .map((x) => x.t)[0];
  }

  function validateSchema(name: string, value: unknown): unknown[] | null {
    const validate = byPointer(`/components/schemas/${escapePointer(name)}`);
    return validate(value) ? null : (validate.errors ?? []);
  }

  function check(res: request.Response, opts: { fallthrough?: boolean } = {}): request.Response {
    const req = (res as unknown as { req: { method: string; path: string } }).req;
    const url = new URL(req.path, 'http://x');
    const what = `${req.method} ${url.pathname} → ${res.status}`;
    const body404 = res.body as { detail?: unknown } | { description?: unknown }[] | undefined;
    const said = Array.isArray(body404) ? body404[0]?.description : body404?.detail;
    if (res.status === 404 && !opts.fallthrough && /^No resource at/.test(String(said))) {
      throw new Error(`${what}: the route does not exist (yet)`);
    }
    const t = template(url.pathname);
    if (!t) throw new Error(`${what}: no path of the document matches`);
    const op = doc.paths[t]?.[req.method.toLowerCase() as OpenAPIV3.HttpMethods];
    if (!op) throw new Error(`${what}: the document has no ${req.method} on ${t}`);
    const declared = op.responses[String(res.status)] ?? op.responses.default;
    if (!declared) throw new Error(`${what}: status not declared (declared: ${Object.keys(op.responses).join(', ')})`);
    let pointer = `/paths/${escapePointer(t)}/${req.method.toLowerCase()}/responses/${res.status}`;
    let response = declared as OpenAPIV3.ResponseObject;
    if ('$ref' in declared) {
      pointer = declared.$ref.slice(1);
      response = doc.components!.responses![declared.$ref.split('/').pop()!] as OpenAPIV3.ResponseObject;
    }
    if (!response.content) {
      if (res.status !== 204 && res.status !== 304) throw new Error(`${what}: no content declared`);
      return res;
    }
    const type = mediaType(res.headers['content-type']);
    if (!response.content[type]) {
      throw new Error(`${what}: Content-Type ${type} not declared (${Object.keys(response.content).join(', ')})`);
    }
    if (isJson(type)) {
      const validate = byPointer(`${pointer}/content/${escapePointer(type)}/schema`);
      // Parsed by supertest, or raw bytes/text when the test asked for them (a tile's error).
      const raw: unknown = res.body;
      const value: unknown = Buffer.isBuffer(raw)
        ? JSON.parse(raw.toString('utf8'))
        : raw !== undefined && Object.keys(raw as object).length
          ? raw
          : JSON.parse(res.text);
      if (!validate(value)) {
        throw new Error(`${what}: body does not match the schema:\n${JSON.stringify(validate.errors, null, 2)}`);
      }
    }
    return res;
  }

  return { doc, template, validateSchema, check };
}
