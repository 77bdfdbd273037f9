// The SMS gateways' webhooks (docs/CHANNELS.md): called by Twilio and by SMS Gateway for
// Android, each signed with its own secret; they exist only when that secret is configured.
import type { OpenAPIV3 } from 'openapi-types';
import { response } from './openapi.parameters';

const limited = {
  '403': response('Forbidden'),
  '404': response('NotFound'),
  '413': response('TooLarge'),
  '415': response('UnsupportedMediaType'),
  '422': response('Invalid'),
  '429': response('TooManyRequests'),
  '503': response('Unavailable'),
};

export const inboundPaths: OpenAPIV3.PathsObject = {
  '/api/v1/inbound/twilio': {
    post: {
      tags: ['reports'],
      operationId: 'twilioWebhook',
      summary: "An SMS or MMS from Twilio's incoming-message webhook",
      description:
        'Signed by Twilio: `X-Twilio-Signature` is the base64 HMAC-SHA1, with the Auth Token, of the public URL Twilio called followed by every form parameter’s name and value sorted by name; anything else is a 403. A message naming a place and a category becomes a report (the answer carries its link); any other waits in the coordinators’ inbox (the answer says how to write one). Up to 5 photos are fetched from `MediaUrlN` through the same guard as Open311’s `media_url`; one that cannot be fetched is left out. A 404 when `TWILIO_AUTH_TOKEN` is not set. At most 64 KB; 600 requests a minute per address.',
      parameters: [
        {
          name: 'X-Twilio-Signature',
          in: 'header',
          required: true,
          schema: { type: 'string', maxLength: 200 },
        },
      ],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object',
              required: ['From', 'MessageSid'],
              additionalProperties: { type: 'string' },
              properties: {
                From: { type: 'string', maxLength: 64, description: 'The sender’s number: contact data, staff only.' },
                Body: { type: 'string', maxLength: 1600 },
                MessageSid: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9]{2,64}$' },
                NumMedia: { type: 'string', pattern: '^\\d{1,2}$' },
                MediaUrl0: { type: 'string', maxLength: 2048, format: 'uri' },
                MediaContentType0: { type: 'string', maxLength: 100 },
                OptOutType: { type: 'string', enum: ['STOP', 'START', 'HELP'] },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description:
            'TwiML: `<Response><Message>…</Message></Response>`, or an empty `<Response/>` for STOP and START (Twilio confirms those itself).',
          content: { 'text/xml': { schema: { type: 'string' } } },
        },
        ...limited,
      },
    },
  },
  '/api/v1/inbound/android-sms': {
    post: {
      tags: ['reports'],
      operationId: 'androidSmsWebhook',
      summary: 'An SMS from SMS Gateway for Android (an `sms:received` webhook)',
      description:
        'Signed by the app: `X-Signature` is the hex HMAC-SHA256, with the signing key, of the raw body followed by `X-Timestamp` (Unix seconds, within 5 minutes of now). Other events are acknowledged and ignored. Replies go back through the phone’s send API, never in this answer. A 404 when `ANDROID_SMS_SIGNING_KEY` is not set. At most 64 KB; 600 requests a minute per address.',
      parameters: [
        { name: 'X-Signature', in: 'header', required: true, schema: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } },
        { name: 'X-Timestamp', in: 'header', required: true, schema: { type: 'string', pattern: '^\\d{1,12}$' } },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['event', 'id', 'payload'],
              properties: {
                deviceId: { type: 'string', maxLength: 128 },
                event: { type: 'string', example: 'sms:received' },
                id: { type: 'string', maxLength: 64 },
                webhookId: { type: 'string', maxLength: 128 },
                payload: {
                  type: 'object',
                  properties: {
                    messageId: { type: 'string', maxLength: 128 },
                    message: { type: 'string', maxLength: 4000 },
                    sender: { type: 'string', maxLength: 64, nullable: true },
                    phoneNumber: { type: 'string', maxLength: 64, nullable: true },
                    recipient: { type: 'string', maxLength: 64, nullable: true },
                    simNumber: { type: 'integer', nullable: true },
                    receivedAt: { type: 'string', maxLength: 64 },
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'Taken: `outcome` is `filed` (with `report_id`), `inbox`, `stop`, `start` or `ignored`.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  outcome: { type: 'string', enum: ['filed', 'inbox', 'stop', 'start', 'ignored'] },
                  report_id: { type: 'integer' },
                },
              },
            },
          },
        },
        ...limited,
      },
    },
  },
};
