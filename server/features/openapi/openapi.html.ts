// The readable API page (/api/docs), rendered on the server from the OpenAPI document: plain
// HTML and one inline style sheet, no script, no CDN. Every text goes through escapeHtml.
import type { OpenAPIV3 } from 'openapi-types';

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'] as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The little Markdown the descriptions use: paragraphs and `code`. */
function prose(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
}

const isRef = (x: unknown): x is OpenAPIV3.ReferenceObject =>
  typeof x === 'object' && x !== null && '$ref' in x && typeof x.$ref === 'string';
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');

function resolve<T>(doc: OpenAPIV3.Document, x: T | OpenAPIV3.ReferenceObject): T {
  if (!isRef(x)) return x;
  const path = x.$ref.replace(/^#\//, '').split('/');
  let node: unknown = doc;
  for (const key of path) node = (node as Record<string, unknown>)[key];
  return node as T;
}

/** A one-line, linked description of a schema's type. */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return '';
  if (isRef(schema)) {
    const name = refName(schema.$ref);
    return `<a href="#schema-${slug(name)}">${escapeHtml(name)}</a>`;
  }
  let text: string;
  if (schema.oneOf || schema.anyOf || schema.allOf) {
    const parts = (schema.oneOf ?? schema.anyOf ?? schema.allOf)!.map(typeOf);
    text = parts.join(schema.allOf ? ' and ' : ' or ');
  } else if (schema.type === 'array') {
    text = `array of ${typeOf(schema.items)}`;
  } else {
    text = escapeHtml(schema.type ?? 'any');
    if (schema.format) text += ` (${escapeHtml(schema.format)})`;
  }
  const notes: string[] = [];
  if (schema.enum) notes.push(`one of ${schema.enum.map((v) => `<code>${escapeHtml(String(v))}</code>`).join(', ')}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    notes.push(`${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`);
  }
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  if (schema.default !== undefined) notes.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  if (schema.nullable) notes.push('or null');
  return notes.length ? `${text}; ${notes.join('; ')}` : text;
}

const example = (value: unknown, label: string) =>
  `<details><summary>${escapeHtml(label)}</summary><pre><code>${escapeHtml(
    typeof value === 'string' ? value : JSON.stringify(value, null, 2),
  )}</code></pre></details>`;

function parametersTable(doc: OpenAPIV3.Document, params: OpenAPIV3.OperationObject['parameters']): string {
  if (!params?.length) return '';
  const rows = params
    .map((p) => resolve<OpenAPIV3.ParameterObject>(doc, p))
    .map(
      (p) =>
        `<tr><th scope="row"><code>${escapeHtml(p.name)}</code></th><td>${escapeHtml(p.in)}</td><td>${typeOf(
          p.schema,
        )}</td><td>${p.required ? 'yes' : 'no'}</td><td>${prose(p.description)}</td></tr>`,
    );
  return `<table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function content(doc: OpenAPIV3.Document, media: Record<string, OpenAPIV3.MediaTypeObject> | undefined): string {
  if (!media) return '';
  return Object.entries(media)
    .map(([type, m]) => {
      const schemaExample: unknown = m.schema ? resolve<OpenAPIV3.SchemaObject>(doc, m.schema).example : undefined;
      const shown: unknown = m.example ?? schemaExample;
      return `<li><code>${escapeHtml(type)}</code>: ${typeOf(m.schema)}${
        shown === undefined ? '' : example(shown, `Example (${type})`)
      }</li>`;
    })
    .join('');
}

function operation(doc: OpenAPIV3.Document, path: string, method: string, op: OpenAPIV3.OperationObject): string {
  const id = `op-${slug(op.operationId ?? `${method}-${path}`)}`;
  const security = op.security ?? doc.security ?? [];
  const needs = security.length
    ? `<p class="auth">Needs ${security
        .map((req) =>
          Object.keys(req)
            .map((k) => (k === 'csrfToken' ? 'the <code>X-CSRF-Token</code> header' : 'a staff session cookie'))
            .join(' and '),
        )
        .join(' or ')}.</p>`
    : '';
  const body = op.requestBody ? resolve<OpenAPIV3.RequestBodyObject>(doc, op.requestBody) : undefined;
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const res = resolve<OpenAPIV3.ResponseObject>(doc, r);
      const media = content(doc, res.content);
      return `<tr><th scope="row">${escapeHtml(status)}</th><td>${prose(res.description)}${
        media ? `<ul>${media}</ul>` : ''
      }</td></tr>`;
    })
    .join('');
  return `<article class="op" id="${id}" aria-labelledby="${id}-h">
<h3 id="${id}-h"><span class="method method-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p class="summary">${escapeHtml(op.summary ?? '')}</p>
${prose(op.description)}${needs}
${parametersTable(doc, op.parameters)}
${body ? `<h4>Request body${body.required ? '' : ' (optional)'}</h4>${prose(body.description)}<ul>${content(doc, body.content)}</ul>` : ''}
<table><caption>Responses</caption><thead><tr><th scope="col">Status</th><th scope="col">Meaning and content</th></tr></thead><tbody>${responses}</tbody></table>
</article>`;
}

function schemaSection(name: string, schema: OpenAPIV3.SchemaObject): string {
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {});
  const table = props.length
    ? `<table><caption>Properties of ${escapeHtml(name)}</caption><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Meaning</th></tr></thead><tbody>${props
        .map(([prop, s]) => {
          const description = isRef(s) ? '' : s.description;
          return `<tr><th scope="row"><code>${escapeHtml(prop)}</code></th><td>${typeOf(s)}</td><td>${
            required.has(prop) ? 'yes' : 'no'
          }</td><td>${prose(description)}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : `<p>Type: ${typeOf(schema)}</p>`;
  return `<section class="schema" id="schema-${slug(name)}" aria-labelledby="schema-${slug(name)}-h">
<h3 id="schema-${slug(name)}-h">${escapeHtml(name)}</h3>
${prose(schema.description)}${table}${schema.example === undefined ? '' : example(schema.example, 'Example')}
</section>`;
}

const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%230b4f8a'/%3E%3Cpath d='M7 22h18M10 16h12M13 10h6' stroke='white' stroke-width='3' stroke-linecap='round'/%3E%3C/svg%3E";

const STYLE = `
:root{color-scheme:light;--ink:#16202b;--muted:#4a5663;--line:#d5dbe2;--brand:#0b4f8a;--bg:#f7f8fa;--focus:#ffd23f}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand)}:focus-visible{outline:3px solid var(--focus);box-shadow:0 0 0 6px var(--ink)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:1}
header{background:var(--brand);color:#fff;padding:12px 16px}header a{color:#fff;font-weight:700;text-decoration:none}
.layout{display:grid;grid-template-columns:minmax(0,18rem) minmax(0,1fr);gap:24px;max-width:90rem;margin:0 auto;padding:16px}
@media (max-width:60rem){.layout{grid-template-columns:minmax(0,1fr)}}
nav ul{list-style:none;padding-left:0;margin:0}nav ul ul{padding-left:12px;font-size:.9rem}nav a{display:block;padding:3px 0;min-height:24px;overflow-wrap:anywhere}
h1,h2,h3,h4{line-height:1.25}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:40px}
.op,.schema{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:16px 0}
.method{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;padding:0 6px;color:#fff;background:#1d5e2e;font-size:.9rem}
.method-head{background:#4a5560}.method-post{background:#0b4f8a}.method-patch{background:#7a4a00}.method-delete{background:#9b111e}
.summary{font-weight:600}.auth{color:#7a4a00}
table{border-collapse:collapse;width:100%;margin:12px 0;font-size:.95rem}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}td p,li p{margin:0}
code{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere;background:#eef1f5;padding:0 3px;border-radius:3px}
pre{background:#16202b;color:#f7f8fa;padding:12px;overflow:auto;border-radius:6px}pre code{background:none;color:inherit}
summary{cursor:pointer;color:var(--brand)}
`;

export function renderDocsPage(doc: OpenAPIV3.Document, links: { json: string; data: string }): string {
  const ops: Record<string, string[]> = {};
  const toc: Record<string, string[]> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      (ops[tag] ??= []).push(operation(doc, path, method, op));
      (toc[tag] ??= []).push(
        `<li><a href="#op-${slug(op.operationId ?? `${method}-${path}`)}">${method.toUpperCase()} ${escapeHtml(path)}</a></li>`,
      );
    }
  }
  const tags = doc.tags ?? [];
  const sections = tags
    .filter((t) => ops[t.name])
    .map(
      (t) =>
        `<section aria-labelledby="tag-${slug(t.name)}"><h2 id="tag-${slug(t.name)}">${escapeHtml(t.name)}</h2>${prose(
          t.description,
        )}${ops[t.name]!.join('\n')}</section>`,
    )
    .join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, s]) => schemaSection(name, resolve<OpenAPIV3.SchemaObject>(doc, s)))
    .join('\n');
  const nav = tags
    .filter((t) => toc[t.name])
    .map((t) => `<li><a href="#tag-${slug(t.name)}">${escapeHtml(t.name)}</a><ul>${toc[t.name]!.join('')}</ul></li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} — reference</title>
<link rel="icon" href="${ICON}">
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a href="/">Wegfrei</a></header>
<div class="layout">
<nav aria-label="API contents"><ul>${nav}<li><a href="#schemas">Schemas</a></li></ul></nav>
<main id="main" tabindex="-1">
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>OpenAPI ${escapeHtml(doc.openapi)} document: <a href="${escapeHtml(links.json)}">${escapeHtml(links.json)}</a>. Server: <code>${escapeHtml(doc.servers?.[0]?.url ?? '')}</code>. For researchers: <a href="${escapeHtml(links.data)}">open data and exports</a>.</p>
${prose(doc.info.description)}
${sections}
<section aria-labelledby="schemas"><h2 id="schemas">Schemas</h2>${schemas}</section>
</main>
</div>
</body>
</html>
`;
}
