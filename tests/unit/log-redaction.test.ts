import { LOGGED_QUERY_VALUES, redactUrl } from '../../server/http/log-redaction';

it('keeps a URL without a query as it is', () => {
  expect(redactUrl('/api/v1/reports/12')).toBe('/api/v1/reports/12');
  expect(redactUrl('/')).toBe('/');
});

it('redacts the exact point of a nearby search and keeps its category', () => {
  expect(redactUrl('/api/v1/reports/nearby?lat=52.520008&lon=13.404954&category=help_medical&radius_m=50')).toBe(
    '/api/v1/reports/nearby?lat=[redacted]&lon=[redacted]&category=help_medical&radius_m=50',
  );
});

it('redacts bboxes, keys, tokens and contact data', () => {
  const url =
    '/x?bbox=13.4049,52.52,13.405,52.5201&api_key=SECRET&key=K&token=T&contact=a%40b.de&email=a@b.de&phone=%2B4930123&long=13.4';
  const out = redactUrl(url);
  for (const value of ['13.4049', 'SECRET', '=K', '=T', 'a%40b', 'a@b', '4930123', '13.4'])
    expect(out).not.toContain(value);
  expect(out).toBe(
    '/x?bbox=[redacted]&api_key=[redacted]&key=[redacted]&token=[redacted]&contact=[redacted]&email=[redacted]&phone=[redacted]&long=[redacted]',
  );
});

it('redacts a parameter it does not know, so a new one is private until decided', () => {
  expect(redactUrl('/api/v1/reports?latitude=52.5&q=flat%2012&kind=help')).toBe(
    '/api/v1/reports?latitude=[redacted]&q=[redacted]&kind=help',
  );
});

it('compares names as Express reads them, so an encoded name is no way around it', () => {
  expect(redactUrl('/open311/v2/requests.json?api%5Fkey=SECRET')).toBe('/open311/v2/requests.json?api_key=[redacted]');
  expect(redactUrl('/x?c%61tegory=steps')).toBe('/x?c%61tegory=steps');
  expect(redactUrl('/x?lat+=52.5')).toBe('/x?[redacted]');
});

it('redacts what stands in the place of a name when it may be a value', () => {
  expect(redactUrl('/x?52.52,13.40')).toBe('/x?[redacted]');
  expect(redactUrl('/x?SECRET')).toBe('/x?[redacted]');
  expect(redactUrl('/x?%E0%A4%A=1')).toBe('/x?[redacted]');
  expect(redactUrl('/x?0491234567=1')).toBe('/x?[redacted]');
  expect(redactUrl('/x?f')).toBe('/x?f');
});

it('redacts every repetition and keeps empty parts and empty values', () => {
  expect(redactUrl('/x?lat=1&lat=2&&status=new,verified&since=')).toBe(
    '/x?lat=[redacted]&lat=[redacted]&&status=new,verified&since=',
  );
  expect(redactUrl('/x?')).toBe('/x?');
});

it('logs no parameter that carries a place, a secret or contact data', () => {
  const sensitive = ['lat', 'lon', 'long', 'bbox', 'api_key', 'key', 'token', 'contact', 'email', 'phone', 'device'];
  expect(sensitive.filter((name) => LOGGED_QUERY_VALUES.has(name))).toEqual([]);
});
