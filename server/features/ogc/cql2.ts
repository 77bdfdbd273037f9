// CQL2 text filters for OGC API – Features Part 3: parse (cql2.peggy) into a typed tree,
// then compile the tree to one SQL boolean term over the queryables the caller names. Every
// value reaches the SQL through the binder; names reach it only as the queryable's own column
// expression. Limits come first, before the parser sees the text: its length, the depth of
// parentheses (which bounds the parser's recursion) and, after parsing, the logical depth.
import fs from 'node:fs';
import path from 'node:path';
import peggy from 'peggy';
import { filterError, type Cql2Geometry } from './cql2.values';

export { cql2ToSql, type Cql2Queryable } from './cql2.sql';
export { filterError };

/** The conformance classes this compiler implements (OGC API – Features Part 3, CQL2). */
export const CQL2_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison',
  'http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions',
] as const;

export const CQL2_MAX_LENGTH = 4000;
/** Nested AND/OR/NOT levels. */
export const CQL2_MAX_DEPTH = 20;
/** Nested parentheses of any kind (logic, functions, WKT): bounds the parser's recursion. */
export const CQL2_MAX_PARENS = 40;

export type ComparisonOp = '=' | '<>' | '<' | '>' | '<=' | '>=';
export type SpatialOp =
  's_intersects' | 's_equals' | 's_disjoint' | 's_touches' | 's_within' | 's_overlaps' | 's_crosses' | 's_contains';
export type TemporalOp =
  | 't_after'
  | 't_before'
  | 't_contains'
  | 't_disjoint'
  | 't_during'
  | 't_equals'
  | 't_finishedby'
  | 't_finishes'
  | 't_intersects'
  | 't_meets'
  | 't_metby'
  | 't_overlappedby'
  | 't_overlaps'
  | 't_startedby'
  | 't_starts';

export type Cql2Operand =
  | { type: 'property'; name: string }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  /** TIMESTAMP('…') or DATE('…'), the text as written. */
  | { type: 'timestamp' | 'date'; value: string }
  | { type: 'casei' | 'accenti'; arg: Cql2Operand }
  | { type: 'interval'; start: Cql2Operand; end: Cql2Operand }
  /** '..', an open end of an interval. */
  | { type: 'open' }
  | Cql2Geometry
  | { type: 'bbox'; values: number[] };

export type Cql2Expr =
  | { op: 'and' | 'or'; args: Cql2Expr[] }
  | { op: 'not'; arg: Cql2Expr }
  | { op: 'literal'; value: boolean }
  | { op: ComparisonOp | SpatialOp | TemporalOp; args: [Cql2Operand, Cql2Operand] }
  /** args[0] is the value tested; then the pattern, the two bounds or the list. */
  | { op: 'like' | 'between' | 'in' | 'isNull'; not: boolean; args: Cql2Operand[] };

// Generated once when the module loads (≈ 0.2 s) rather than committed as generated code:
// the server runs from source (tsx) with no build step, and a generated copy could drift from
// the grammar. No packrat cache: the grammar never parses the same text twice (each choice is
// decided by its first token; see cql2.peggy), and peggy's cache made a 4,000-character
// filter 7× slower. tests/unit/cql2.test.ts counts rule calls to show the work stays linear.
export const CQL2_GRAMMAR = fs.readFileSync(path.join(__dirname, 'cql2.peggy'), 'utf8');
const parser = peggy.generate(CQL2_GRAMMAR);

/** Parses CQL2 text; a filter that cannot be used is a 400 saying where and why. */
export function parseCql2Text(text: string): Cql2Expr {
  if (text.length > CQL2_MAX_LENGTH) throw filterError(`is longer than ${CQL2_MAX_LENGTH} characters`);
  scanNesting(text);
  let expr: Cql2Expr;
  try {
    expr = parser.parse(text) as Cql2Expr;
  } catch (err) {
    if (err instanceof parser.SyntaxError) throw filterError(describeSyntaxError(err, text));
    throw err;
  }
  checkDepth(expr);
  return expr;
}

/**
 * One pass over the text before the parser: NUL (PostgreSQL text cannot hold it) and the
 * depth of parentheses outside quotes. '' inside a string toggles twice, so needs no case.
 */
function scanNesting(text: string): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\0') throw filterError(`at character ${i + 1}: a NUL character is not allowed`);
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' && ++depth > CQL2_MAX_PARENS) {
      throw filterError(`at character ${i + 1}: parentheses are nested more than ${CQL2_MAX_PARENS} deep`);
    } else if (c === ')') depth--;
  }
}

/** AND/OR/NOT nesting, walked with a stack of its own (a NOT chain may be a thousand long). */
function checkDepth(root: Cql2Expr): void {
  const stack: [Cql2Expr, number][] = [[root, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [expr, depth] = item;
    if (expr.op !== 'and' && expr.op !== 'or' && expr.op !== 'not') continue;
    if (depth + 1 > CQL2_MAX_DEPTH) {
      throw filterError(`conditions are nested more than ${CQL2_MAX_DEPTH} levels deep (AND, OR, NOT)`);
    }
    for (const child of expr.op === 'not' ? [expr.arg] : expr.args) stack.push([child, depth + 1]);
  }
}

/** "at character 17: expected a value after '='" from peggy's error. */
function describeSyntaxError(err: InstanceType<typeof parser.SyntaxError>, text: string): string {
  const offset = err.location.start.offset;
  const at = `at character ${offset + 1}`;
  // error() in a grammar action (an unknown function) carries its own words.
  if (!err.expected) return `${at}: ${err.message}`;
  const names = [
    ...new Set(
      err.expected.flatMap((e) => {
        if (e.type === 'literal') return [`'${e.ignoreCase ? e.text.toUpperCase() : e.text}'`];
        if (e.type === 'other' && e.description !== 'whitespace') return [e.description];
        if (e.type === 'end') return ['the end of the filter'];
        return [];
      }),
    ),
  ];
  const expected = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? 'more');
  const before = lastToken(text.slice(0, offset));
  const next = text.slice(offset).trimStart().slice(0, 20);
  return `${at}: expected ${expected}${before ? ` after '${before}'` : ''}${next ? `, found '${next}'` : ''}`;
}

/** The token just before an error: a word, an operator or one character. */
function lastToken(prefix: string): string {
  const s = prefix.trimEnd();
  const word = /[\p{L}\p{N}_:.]/u;
  const operator = /[<>=]/;
  const last = s.at(-1);
  if (last === undefined) return '';
  const kind = word.test(last) ? word : operator.test(last) ? operator : undefined;
  let i = s.length - 1;
  while (kind && i > 0 && kind.test(s[i - 1] ?? '')) i--;
  return s.slice(i).slice(-30);
}
