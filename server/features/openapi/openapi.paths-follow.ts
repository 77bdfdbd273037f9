// Following a report (issue 16, docs/FOLLOW.md): what follow.routes.ts serves. No account: the
// links' tokens are the keys; answers never say whether an address already follows.
import type { OpenAPIV3 } from 'openapi-types';
import { FOLLOW_LIMITS } from '../follow/follow.service';
import { param, response } from './openapi.parameters';

const token: OpenAPIV3.ParameterObject = {
  name: 'token',
  in: 'query',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
  description: 'The token from the link in a message (32 random bytes, base64url; the server keeps only its hash).',
};
const html = (description: string): OpenAPIV3.ResponseObject => ({ description, content: { 'text/html': {} } });
const form: OpenAPIV3.RequestBodyObject = {
  required: false,
  content: {
    'application/x-www-form-urlencoded': {
      schema: {
        type: 'object',
        properties: {
          token: { type: 'string', description: 'When not in the query (the page’s button).' },
          'List-Unsubscribe': { type: 'string', enum: ['One-Click'], description: 'RFC 8058' },
        },
      },
    },
  },
};

export const followPaths: OpenAPIV3.PathsObject = {
  '/api/v1/reports/{id}/subscriptions': {
    post: {
      tags: ['reports'],
      operationId: 'followReport',
      summary: 'Follow a report by e-mail or web push',
      description:
        'Anonymous. `{"email", "language"}` sends a confirmation mail (double opt-in; unconfirmed requests are deleted after ' +
        `${FOLLOW_LIMITS.confirmExpiryHours} h); \`{"push": <PushSubscription JSON>, "language"}\` follows at once. ` +
        'The answer is the same whether the address was new, waiting or already following (or asked never to be mailed about the report). ' +
        'One confirmation mail per mailbox and report (a mailbox ignores a +tag, and dots at Gmail), ' +
        `at most ${FOLLOW_LIMITS.confirmationMailsPerDay} per mailbox a day; at most ${FOLLOW_LIMITS.subscriptionsPerReport} followers per report, ` +
        `${FOLLOW_LIMITS.subscriptionsPerClientAndReport} of them from one client address. ` +
        'Push endpoints must be https and not on a private, loopback or link-local address. ' +
        `A report is followable when it is public, or within ${FOLLOW_LIMITS.recentReportMinutes} minutes of being sent and not hidden. See docs/FOLLOW.md.`,
      parameters: [param('reportId')],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: {
                email: { type: 'string', format: 'email', maxLength: 254 },
                push: {
                  type: 'object',
                  required: ['endpoint', 'keys'],
                  additionalProperties: false,
                  properties: {
                    endpoint: { type: 'string', format: 'uri', maxLength: 2048 },
                    expirationTime: { type: 'number', nullable: true },
                    keys: {
                      type: 'object',
                      required: ['p256dh', 'auth'],
                      properties: {
                        p256dh: {
                          type: 'string',
                          maxLength: 100,
                          description: 'base64url of the 65-byte uncompressed P-256 public key',
                        },
                        auth: { type: 'string', maxLength: 40, description: 'base64url of the 16-byte auth secret' },
                      },
                    },
                  },
                },
                language: { type: 'string', enum: ['en', 'de', 'fr'], default: 'en' },
              },
            },
            example: { email: 'me@example.org', language: 'de' },
          },
        },
      },
      responses: {
        '202': {
          description: '`confirmation_sent` (e-mail: follow the link in the mail) or `following` (push).',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['status'],
                properties: { status: { type: 'string', enum: ['confirmation_sent', 'following'] } },
              },
            },
          },
        },
        '400': response('BadRequest'),
        '404': response('NotFound'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
        '429': response('TooManyRequests'),
        '503': response('Unavailable'),
      },
    },
  },
  '/api/v1/follow/options': {
    get: {
      tags: ['reports'],
      operationId: 'followOptions',
      summary: 'How reports can be followed here',
      description:
        '`email`: e-mail is set up (SMTP_URL, PUBLIC_URL); `push.public_key`: the VAPID public key (base64url) for `PushManager.subscribe`, or `push: null`.',
      responses: {
        '200': {
          description: 'The options.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['email', 'push'],
                properties: {
                  email: { type: 'boolean' },
                  push: {
                    type: 'object',
                    nullable: true,
                    required: ['public_key'],
                    properties: { public_key: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  '/api/v1/subscriptions/confirm': {
    get: {
      tags: ['reports'],
      operationId: 'showFollowConfirmation',
      summary: 'The confirmation page (a button; opening the link changes nothing)',
      parameters: [token],
      responses: { '200': html('The page.'), '410': html('The link expired or was used.'), '422': response('Invalid') },
    },
    post: {
      tags: ['reports'],
      operationId: 'confirmFollow',
      summary: 'Confirm following by e-mail',
      parameters: [{ ...token, required: false }],
      requestBody: form,
      responses: {
        '200': html('Following.'),
        '410': html('The link expired or was used.'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
      },
    },
  },
  '/api/v1/subscriptions/unsubscribe': {
    get: {
      tags: ['reports'],
      operationId: 'showUnfollow',
      summary: 'The unsubscribe page (a button; opening the link changes nothing)',
      parameters: [token],
      responses: { '200': html('The page.'), '422': response('Invalid') },
    },
    post: {
      tags: ['reports'],
      operationId: 'unfollow',
      summary: 'Stop following (RFC 8058 one-click: body `List-Unsubscribe=One-Click`)',
      description: 'The subscription is deleted; an unknown or used token answers the same.',
      parameters: [{ ...token, required: false }],
      requestBody: form,
      responses: {
        '200': html('Stopped.'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
      },
    },
  },
};
