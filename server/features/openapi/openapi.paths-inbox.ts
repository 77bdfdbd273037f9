// The coordinators' inbox of gateway messages (docs/CHANNELS.md): what inbox.routes.ts serves.
import type { OpenAPIV3 } from 'openapi-types';
import { op } from './openapi.paths-staff';

const messageId: OpenAPIV3.ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
  description: 'The message’s id.',
};

const message: OpenAPIV3.SchemaObject = {
  type: 'object',
  description: 'A message from a gateway. `sender` is a phone number or chat id: contact data, for staff only.',
  properties: {
    id: { type: 'integer' },
    channel: { type: 'string', enum: ['sms', 'telegram'] },
    gateway: { type: 'string', example: 'twilio' },
    sender: { type: 'string' },
    body: { type: 'string', nullable: true },
    place: {
      type: 'object',
      nullable: true,
      description: 'The place the message named, when it named one (but no category).',
      properties: { lat: { type: 'number' }, lon: { type: 'number' } },
    },
    category: { type: 'string', nullable: true, description: 'The category the message named, if any.' },
    urgent: { type: 'boolean' },
    language: { type: 'string', enum: ['en', 'de', 'fr'] },
    state: { type: 'string', enum: ['inbox', 'filed', 'spam', 'not_report'] },
    report_id: { type: 'integer', nullable: true },
    report_url: { type: 'string', format: 'uri', nullable: true },
    received_at: { type: 'string', format: 'date-time' },
    handled_at: { type: 'string', format: 'date-time', nullable: true },
    photos: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
};

export const inboxPaths: OpenAPIV3.PathsObject = {
  '/api/v1/staff/inbox': {
    get: op('get', 'listInbox', 'Messages from gateways that wait for a coordinator', {
      roles: 'coordinator, admin',
      description:
        'Urgent first, then newest. `waiting` and `urgent` count the whole inbox; page on with `next_cursor`.',
      parameters: [
        {
          name: 'state',
          in: 'query',
          schema: { type: 'string', enum: ['inbox', 'filed', 'spam', 'not_report'], default: 'inbox' },
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 200 } },
      ],
      answer: {
        type: 'object',
        properties: {
          messages: { type: 'array', items: message },
          waiting: { type: 'integer' },
          urgent: { type: 'integer' },
          next_cursor: { type: 'string', nullable: true },
        },
      },
    }),
  },
  '/api/v1/staff/inbox/{id}': {
    get: op('get', 'getInboxMessage', 'One message', {
      roles: 'coordinator, admin',
      parameters: [messageId],
      answer: message,
    }),
    patch: op('patch', 'setInboxMessageState', 'Set a message aside as spam or "not a report", or back', {
      roles: 'coordinator, admin',
      parameters: [messageId],
      body: {
        type: 'object',
        required: ['state'],
        additionalProperties: false,
        properties: { state: { type: 'string', enum: ['spam', 'not_report', 'inbox'] } },
      },
      answer: message,
    }),
  },
  '/api/v1/staff/inbox/file': {
    post: op('post', 'fileInboxMessages', 'File one or more messages as one report', {
      roles: 'coordinator, admin',
      description:
        'Either a new report at `lat`/`lon` with `category` (its words are the messages’, its contact their senders, its photos theirs, pending review), or the messages added to the existing `report_id`. The senders are told the report’s page unless they sent STOP. 409 when a message was handled meanwhile.',
      body: {
        type: 'object',
        required: ['message_ids'],
        additionalProperties: false,
        properties: {
          message_ids: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 20 },
          report_id: { type: 'integer' },
          lat: { type: 'number', minimum: -90, maximum: 90 },
          lon: { type: 'number', minimum: -180, maximum: 180 },
          category: { type: 'string' },
          severity: { type: 'integer', minimum: 1, maximum: 3, default: 2 },
          description: { type: 'string', maxLength: 4000 },
        },
      },
      answer: {
        type: 'object',
        properties: { report_id: { type: 'integer' }, report_url: { type: 'string', format: 'uri' } },
      },
    }),
  },
};
