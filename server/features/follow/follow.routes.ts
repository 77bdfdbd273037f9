// Following a report: the subscription endpoint, the pages behind the links in every message
// (confirm, unsubscribe: a GET shows a button, so a mail scanner that opens links changes
// nothing; RFC 8058's one-click POST acts at once), and the web push public key.
import express, { Router, type Request, type Response } from 'express';
import { AppError } from '../../http/errors';
import { clientAddress } from '../../http/rate-limit';
import { parse } from '../../http/validate';
import { reportParamsSchema } from '../reports/reports.schemas';
import { subscribeSchema, tokenSchema } from './follow.schemas';
import type { Follow } from './follow.service';
import { LANGUAGES, PAGE, type Language } from './follow.texts';

/**
 * Follow requests (e-mail and push) one client address may make per hour (app.ts counts them
 * with the other limits: shared by all processes on PostgreSQL): the daily bound per mailbox
 * keeps one inbox from being flooded; this keeps one client from spraying confirmation mails
 * over many addresses or junk push endpoints over many reports (docs/SECURITY.md, Following
 * reports).
 */
export const FOLLOW_REQUESTS_PER_CLIENT_HOUR = 30;

const json = express.json({ limit: '8kb' });
const form = express.urlencoded({ extended: false, limit: '2kb' });

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(res: Response, language: Language, title: string, body: string, status = 200): void {
  res
    .status(status)
    .type('html')
    // A page with a token in its address is nobody else's: not cached, not sent on as a Referer.
    .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    .send(
      `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} – Wegfrei</title>` +
        `<style>body{font:1.125rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}` +
        `button{font:inherit;min-height:44px;padding:.5rem 1.25rem;border:2px solid #0b4f8a;border-radius:6px;background:#0b4f8a;color:#fff;cursor:pointer}` +
        `button:focus-visible,a:focus-visible{outline:3px solid #c05800;outline-offset:2px}a{color:#0b4f8a}` +
        `.brand{font-weight:700;margin:0}</style></head>` +
        // The app's name above the question, so a page opened from a mail says whose it is.
        `<body><header><p class="brand"><a href="/">Wegfrei</a></p></header>` +
        `<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

/** The page's language before a token names one: the browser's first of ours. */
function requestLanguage(req: Request): Language {
  const found = req.acceptsLanguages(...LANGUAGES);
  return found ? (found as Language) : 'en';
}

const fill = (text: string, reportId: number) => text.replace('{id}', String(reportId));
const reportLink = (language: Language, reportId: number) =>
  `<p><a href="/reports/${reportId}">${escapeHtml(PAGE[language].open)}</a></p>`;

function tokenOf(req: Request): string {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return parse(tokenSchema, { token: body.token ?? req.query.token }, 'Invalid link').token;
}

export function followRouter(
  follow: Follow,
  opts: {
    allowPrivatePush: boolean;
    /** Counts a client's valid follow request; false once it made too many this hour. */
    followRequests: (client: string) => Promise<boolean>;
  },
): Router {
  const router = Router();
  const schema = subscribeSchema(opts.allowPrivatePush);

  router.post('/api/v1/reports/:id/subscriptions', json, async (req, res) => {
    const { id } = parse(reportParamsSchema, req.params, 'Invalid report id');
    const body = parse(schema, req.body ?? {}, 'Invalid subscription');
    const client = clientAddress(req);
    if (!(await opts.followRequests(client))) {
      throw new AppError(429, 'rate_limited', 'Too many requests', 'Too many follow requests; try again later.', [], {
        'Retry-After': '3600',
      });
    }
    await follow.subscribe(
      id,
      body.email !== undefined
        ? { email: body.email, language: body.language }
        : { push: body.push!, language: body.language },
      client,
    );
    // The same answer whether the address was new, waiting or already following: nobody learns who follows what.
    res.status(202).json({ status: body.email !== undefined ? 'confirmation_sent' : 'following' });
  });

  // What the citizen app offers: e-mail only where a relay is set up; push with our public key.
  router.get('/api/v1/follow/options', async (_req, res) => {
    res.json({
      email: follow.emailEnabled,
      push: follow.pushEnabled ? { public_key: await follow.vapidPublicKey() } : null,
    });
  });

  router.get('/api/v1/subscriptions/confirm', async (req, res) => {
    const token = tokenOf(req);
    const target = await follow.pendingConfirmation(token);
    if (!target) return page(res, requestLanguage(req), PAGE[requestLanguage(req)].expired, '', 410);
    const t = PAGE[target.language];
    page(
      res,
      target.language,
      fill(t.confirmTitle, target.reportId),
      `<form method="post" action="/api/v1/subscriptions/confirm"><input type="hidden" name="token" value="${token}">` +
        `<button type="submit">${escapeHtml(t.confirmButton)}</button></form>` +
        reportLink(target.language, target.reportId),
    );
  });

  router.post('/api/v1/subscriptions/confirm', form, async (req, res) => {
    const target = await follow.confirm(tokenOf(req));
    if (!target) return page(res, requestLanguage(req), PAGE[requestLanguage(req)].expired, '', 410);
    const t = PAGE[target.language];
    page(res, target.language, fill(t.confirmed, target.reportId), reportLink(target.language, target.reportId));
  });

  router.get('/api/v1/subscriptions/unsubscribe', async (req, res) => {
    const token = tokenOf(req);
    const target = await follow.unsubscribeTarget(token);
    if (!target) return page(res, requestLanguage(req), PAGE[requestLanguage(req)].stopped, '');
    const t = PAGE[target.language];
    page(
      res,
      target.language,
      fill(t.stopTitle, target.reportId),
      `<form method="post" action="/api/v1/subscriptions/unsubscribe"><input type="hidden" name="token" value="${token}">` +
        `<button type="submit">${escapeHtml(t.stopButton)}</button></form>` +
        reportLink(target.language, target.reportId),
    );
  });

  // RFC 8058 one-click (body "List-Unsubscribe=One-Click", token in the URL), the page's button,
  // and the service worker's "stop" action all land here; an unknown token is already stopped.
  router.post('/api/v1/subscriptions/unsubscribe', form, async (req, res) => {
    const target = await follow.unsubscribe(tokenOf(req));
    const language = target?.language ?? requestLanguage(req);
    page(res, language, PAGE[language].stopped, target ? reportLink(language, target.reportId) : '');
  });

  return router;
}
