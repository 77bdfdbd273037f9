// A parsed CQL2 filter as one SQL boolean term. Names become the queryable's own column
// expression (never the text the client sent); every literal goes through the binder; the
// only SQL written here from the filter is operators and the constants TRUE/FALSE/±infinity.
// Types are checked before any SQL exists, so a mismatch is a 400 naming both sides rather
// than a database error.
import type { Binder } from '../reports/reports.filter';
import type { Cql2Expr, Cql2Operand, SpatialOp, TemporalOp } from './cql2';
import { bboxEdges, filterError, geometryToGeoJson, parseInstant } from './cql2.values';

export interface Cql2Queryable {
  /** A column expression on alias r, e.g. 'r.severity'. */
  sql: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'geometry';
  enum?: readonly string[];
}
type ValueType = Cql2Queryable['type'];
type Queryables = Record<string, Cql2Queryable>;

const ARTICLE: Record<ValueType, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  timestamp: 'a timestamp',
  geometry: 'a geometry',
};
const SPATIAL: Record<SpatialOp, string> = {
  s_intersects: 'ST_Intersects',
  s_equals: 'ST_Equals',
  s_disjoint: 'ST_Disjoint',
  s_touches: 'ST_Touches',
  s_within: 'ST_Within',
  s_overlaps: 'ST_Overlaps',
  s_crosses: 'ST_Crosses',
  s_contains: 'ST_Contains',
};
/** Bound only when a relation uses it: a parameter bound but absent from the SQL has no type. */
type Ends = { start: () => string; end: () => string };
/** Allen's interval relations as CQL2 defines them (an instant is an interval of no length). */
const TEMPORAL: Record<TemporalOp, (a: Ends, b: Ends) => string[]> = {
  t_after: (a, b) => [`${a.start()} > ${b.end()}`],
  t_before: (a, b) => [`${a.end()} < ${b.start()}`],
  t_contains: (a, b) => [`${a.start()} < ${b.start()}`, `${a.end()} > ${b.end()}`],
  t_disjoint: (a, b) => [`(${a.start()} > ${b.end()} OR ${a.end()} < ${b.start()})`],
  t_during: (a, b) => [`${a.start()} > ${b.start()}`, `${a.end()} < ${b.end()}`],
  t_equals: (a, b) => [`${a.start()} = ${b.start()}`, `${a.end()} = ${b.end()}`],
  t_finishedby: (a, b) => [`${a.start()} < ${b.start()}`, `${a.end()} = ${b.end()}`],
  t_finishes: (a, b) => [`${a.start()} > ${b.start()}`, `${a.end()} = ${b.end()}`],
  t_intersects: (a, b) => [`${a.start()} <= ${b.end()}`, `${a.end()} >= ${b.start()}`],
  t_meets: (a, b) => [`${a.end()} = ${b.start()}`],
  t_metby: (a, b) => [`${a.start()} = ${b.end()}`],
  t_overlappedby: (a, b) => [`${a.start()} > ${b.start()}`, `${a.start()} < ${b.end()}`, `${a.end()} > ${b.end()}`],
  t_overlaps: (a, b) => [`${a.start()} < ${b.start()}`, `${a.end()} > ${b.start()}`, `${a.end()} < ${b.end()}`],
  t_startedby: (a, b) => [`${a.start()} = ${b.start()}`, `${a.end()} > ${b.end()}`],
  t_starts: (a, b) => [`${a.start()} = ${b.start()}`, `${a.end()} < ${b.end()}`],
};
// Combining marks removed after canonical decomposition: 'Köln' and 'Koln' compare equal.
const accentless = (sql: string) => `regexp_replace(normalize(${sql}, NFD), E'[\\u0300-\\u036f]', '', 'g')`;

/** The filter as a SQL boolean term on the queryables' columns, values bound through `bind`. */
export function cql2ToSql(expr: Cql2Expr, queryables: Queryables, bind: Binder): string {
  return new Compiler(queryables, bind).condition(expr);
}

class Compiler {
  constructor(
    private readonly queryables: Queryables,
    private readonly bind: Binder,
  ) {}

  condition(e: Cql2Expr): string {
    switch (e.op) {
      case 'and':
      case 'or':
        return `(${e.args.map((a) => this.condition(a)).join(` ${e.op.toUpperCase()} `)})`;
      case 'not':
        return `(NOT ${this.condition(e.arg)})`;
      case 'literal':
        return e.value ? 'TRUE' : 'FALSE';
      case 'like':
        return this.like(e.args, e.not);
      case 'between': {
        const [value, low, high] = e.args as [Cql2Operand, Cql2Operand, Cql2Operand];
        const type = this.common(value, low, 'BETWEEN');
        this.common(value, high, 'BETWEEN');
        if (type !== 'integer' && type !== 'number' && type !== 'timestamp') {
          throw filterError(`BETWEEN compares numbers or timestamps, and ${describe(value)} is ${ARTICLE[type]}`);
        }
        const [v, l, h] = [value, low, high].map((o) => this.scalar(o, type));
        return `(${v} ${e.not ? 'NOT ' : ''}BETWEEN ${l} AND ${h})`;
      }
      case 'in': {
        const [value, ...list] = e.args as [Cql2Operand, ...Cql2Operand[]];
        const type = list.map((item) => this.common(value, item, 'IN'))[0] ?? 'string';
        list.forEach((item) => this.checkEnum(value, item));
        const items = list.map((o) => this.scalar(o, type)).join(', ');
        return `(${this.scalar(value, type)} ${e.not ? 'NOT ' : ''}IN (${items}))`;
      }
      case 'isNull': {
        const [value] = e.args as [Cql2Operand];
        if (value.type !== 'property') throw filterError('IS NULL tests a property');
        return `(${this.property(value.name).sql} IS ${e.not ? 'NOT ' : ''}NULL)`;
      }
      case '=':
      case '<>':
      case '<':
      case '>':
      case '<=':
      case '>=': {
        const [left, right] = e.args;
        const type = this.common(left, right, e.op);
        if (type === 'geometry')
          throw filterError(`geometries are compared with S_EQUALS or S_INTERSECTS, not ${e.op}`);
        this.checkEnum(left, right);
        this.checkEnum(right, left);
        return `(${this.scalar(left, type)} ${e.op} ${this.scalar(right, type)})`;
      }
      default:
        return e.op.startsWith('s_')
          ? this.spatial(e.op as SpatialOp, e.args)
          : this.temporal(e.op as TemporalOp, e.args);
    }
  }

  private property(name: string): Cql2Queryable {
    const q = Object.hasOwn(this.queryables, name) ? this.queryables[name] : undefined;
    if (!q)
      throw filterError(`unknown property '${clip(name)}'; queryables are ${Object.keys(this.queryables).join(', ')}`);
    return q;
  }

  /** The type an operand has in a comparison, or a 400 when it cannot be compared. */
  private typeOf(o: Cql2Operand): ValueType {
    switch (o.type) {
      case 'property':
        return this.property(o.name).type;
      case 'string':
      case 'number':
      case 'boolean':
        return o.type;
      case 'timestamp':
      case 'date':
        return 'timestamp';
      case 'casei':
      case 'accenti':
        if (this.typeOf(o.arg) !== 'string') {
          throw filterError(`${o.type.toUpperCase()}() takes a string, and ${describe(o.arg)} is not one`);
        }
        return 'string';
      case 'geometry':
      case 'bbox':
        return 'geometry';
      default:
        throw filterError(`${describe(o)} can only be used in a temporal function (T_…)`);
    }
  }

  /** The type both sides are compared as; integers and numbers mix, a date string is a timestamp. */
  private common(a: Cql2Operand, b: Cql2Operand, op: string): ValueType {
    const [ta, tb] = [this.typeOf(a), this.typeOf(b)];
    if (ta === tb) return ta;
    const numeric = (t: ValueType) => t === 'integer' || t === 'number';
    if (numeric(ta) && numeric(tb)) return ta === 'integer' && b.type !== 'property' ? 'integer' : tb;
    const instantText = (o: Cql2Operand, t: ValueType) => t === 'string' && o.type === 'string';
    if (ta === 'timestamp' && instantText(b, tb)) return 'timestamp';
    if (tb === 'timestamp' && instantText(a, ta)) return 'timestamp';
    throw filterError(
      `${describe(a)} is ${ARTICLE[ta]} and ${describe(b)} is ${ARTICLE[tb]}: ${op} cannot compare them`,
    );
  }

  /** `status = 'opn'` is a typo, not a filter that matches nothing: say which values exist. */
  private checkEnum(property: Cql2Operand, value: Cql2Operand): void {
    if (property.type !== 'property' || value.type !== 'string') return;
    const values = this.property(property.name).enum;
    if (values && !values.includes(value.value)) {
      throw filterError(`${property.name} is one of ${values.join(', ')}; '${clip(value.value)}' is not`);
    }
  }

  /** An operand as SQL of type `as` (the comparison's common type). */
  private scalar(o: Cql2Operand, as: ValueType): string {
    switch (o.type) {
      case 'property':
        return this.property(o.name).sql;
      case 'string':
        return as === 'timestamp' ? this.instant(o.value) : this.bind(o.value, 'text');
      case 'number':
        if (!Number.isFinite(o.value)) throw filterError('a number is too large');
        return as === 'integer' && Number.isSafeInteger(o.value)
          ? this.bind(o.value, 'bigint')
          : this.bind(o.value, 'float8');
      case 'boolean':
        return this.bind(o.value, 'boolean');
      case 'timestamp':
      case 'date':
        return this.instant(o.value);
      case 'casei':
        return `lower(${this.scalar(o.arg, 'string')})`;
      case 'accenti':
        return accentless(this.scalar(o.arg, 'string'));
      default:
        throw filterError(`${describe(o)} cannot be used here`);
    }
  }

  private instant(text: string): string {
    return this.bind(this.date(text), 'timestamptz');
  }

  /** Checked when the filter is read, bound only when used. */
  private date(text: string): Date {
    const date = parseInstant(text);
    if (!date)
      throw filterError(
        `'${clip(text)}' is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DDThh:mm:ssZ) between the years 1 and 9999`,
      );
    return date;
  }

  private like(args: Cql2Operand[], not: boolean): string {
    const [value, pattern] = args as [Cql2Operand, Cql2Operand];
    if (this.typeOf(value) !== 'string') {
      throw filterError(`LIKE matches strings, and ${describe(value)} is ${ARTICLE[this.typeOf(value)]}`);
    }
    let text = pattern;
    while (text.type === 'casei' || text.type === 'accenti') text = text.arg;
    if (text.type !== 'string') throw filterError(`the pattern after LIKE must be a string in single quotes`);
    // A pattern ending in the escape character is an error in PostgreSQL: refuse it here.
    let trailing = 0;
    while (text.value[text.value.length - 1 - trailing] === '\\') trailing++;
    if (trailing % 2 === 1) throw filterError(`the LIKE pattern '${clip(text.value)}' ends in a lone backslash`);
    return `(${this.scalar(value, 'string')} ${not ? 'NOT ' : ''}LIKE ${this.scalar(pattern, 'string')} ESCAPE E'\\\\')`;
  }

  private spatial(op: SpatialOp, args: [Cql2Operand, Cql2Operand]): string {
    return `${SPATIAL[op]}(${this.geometry(args[0])}, ${this.geometry(args[1])})`;
  }

  private geometry(o: Cql2Operand): string {
    if (o.type === 'property') {
      const q = this.property(o.name);
      if (q.type !== 'geometry') throw filterError(`${o.name} is ${ARTICLE[q.type]}, not a geometry`);
      return q.sql;
    }
    if (o.type === 'geometry') {
      const json = JSON.stringify(geometryToGeoJson(o));
      return `ST_SetSRID(ST_GeomFromGeoJSON(${this.bind(json, 'text')}), 4326)`;
    }
    if (o.type === 'bbox') {
      const { west, south, east, north } = bboxEdges(o.values);
      const [s, n] = [this.bind(south, 'float8'), this.bind(north, 'float8')];
      const envelope = (w: string, e: string) => `ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`;
      // West of east crosses the antimeridian (as the bbox parameter does, RFC 7946 §5.2).
      return west <= east
        ? envelope(this.bind(west, 'float8'), this.bind(east, 'float8'))
        : `ST_Collect(${envelope(this.bind(west, 'float8'), '180')}, ${envelope('-180', this.bind(east, 'float8'))})`;
    }
    throw filterError(`${describe(o)} is not a geometry`);
  }

  private temporal(op: TemporalOp, args: [Cql2Operand, Cql2Operand]): string {
    const [a, b] = [this.ends(args[0]), this.ends(args[1])];
    // An instant compared with an instant repeats a term (t_equals: s = s AND e = e).
    const terms = [...new Set(TEMPORAL[op](a, b))];
    return `(${terms.join(' AND ')})`;
  }

  /** The start and end of an instant (both the same) or of an interval; '..' is unbounded. */
  private ends(o: Cql2Operand): Ends {
    const end = (e: Cql2Operand, open: string): (() => string) => {
      if (e.type === 'open') return () => open;
      if (e.type === 'property') {
        const q = this.property(e.name);
        if (q.type !== 'timestamp') throw filterError(`${e.name} is ${ARTICLE[q.type]}, not a timestamp`);
        return () => q.sql;
      }
      if (e.type === 'timestamp' || e.type === 'date') {
        const date = this.date(e.value);
        let sql: string | undefined;
        return () => (sql ??= this.bind(date, 'timestamptz'));
      }
      throw filterError(`${describe(e)} is not an instant`);
    };
    if (o.type === 'interval') {
      return { start: end(o.start, `'-infinity'::timestamptz`), end: end(o.end, `'infinity'::timestamptz`) };
    }
    if (o.type === 'open') throw filterError(`'..' is only an end of an INTERVAL`);
    const instant = end(o, '');
    return { start: instant, end: instant };
  }
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** An operand as the client wrote it, for messages. */
function describe(o: Cql2Operand): string {
  switch (o.type) {
    case 'property':
      return clip(o.name);
    case 'string':
      return `'${clip(o.value)}'`;
    case 'number':
    case 'boolean':
      return String(o.value);
    case 'timestamp':
    case 'date':
      return `${o.type.toUpperCase()}('${o.value}')`;
    case 'casei':
    case 'accenti':
      return `${o.type.toUpperCase()}(${describe(o.arg)})`;
    case 'interval':
      return `INTERVAL(${describe(o.start)}, ${describe(o.end)})`;
    case 'open':
      return `'..'`;
    case 'geometry':
      return o.kind.toUpperCase();
    case 'bbox':
      return 'BBOX';
  }
}
