// The Telegram bot's webhook (docs/CHANNELS.md, "Telegram"): called by Telegram with an
// Update, carrying the secret given to setWebhook; it exists only with TELEGRAM_BOT_TOKEN.
import type { OpenAPIV3 } from 'openapi-types';
import { response } from './openapi.parameters';

const location: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['latitude', 'longitude'],
  properties: {
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
    horizontal_accuracy: { type: 'number', minimum: 0, maximum: 1500 },
  },
};

const chat: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['id', 'type'],
  description: 'The chat id is contact data: stored only as the message’s sender and the report’s contact (staff).',
  properties: {
    id: { type: 'integer' },
    type: { type: 'string', enum: ['private', 'group', 'supergroup', 'channel'] },
  },
};

const user: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'integer' },
    is_bot: { type: 'boolean' },
    language_code: {
      type: 'string',
      maxLength: 35,
      description: 'en, de or fr answer in that language; any other in English.',
    },
  },
};

const update: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['update_id'],
  description:
    'A Telegram `Update` (core.telegram.org/bots/api#update). Only the fields below are read; others (Telegram adds fields) are ignored, as are updates of other kinds.',
  properties: {
    update_id: { type: 'integer', minimum: 0 },
    message: {
      type: 'object',
      required: ['message_id', 'chat'],
      properties: {
        message_id: { type: 'integer' },
        from: user,
        chat,
        text: { type: 'string', maxLength: 4096 },
        caption: { type: 'string', maxLength: 1024 },
        location,
        venue: { type: 'object', required: ['location'], properties: { location } },
        photo: {
          type: 'array',
          maxItems: 20,
          items: {
            type: 'object',
            required: ['file_id', 'width', 'height'],
            properties: {
              file_id: { type: 'string', maxLength: 200 },
              width: { type: 'integer', minimum: 0 },
              height: { type: 'integer', minimum: 0 },
              file_size: { type: 'integer', minimum: 0 },
            },
          },
        },
        document: {
          type: 'object',
          required: ['file_id'],
          properties: {
            file_id: { type: 'string', maxLength: 200 },
            mime_type: { type: 'string', maxLength: 255 },
            file_size: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    callback_query: {
      type: 'object',
      required: ['id', 'from'],
      properties: {
        id: { type: 'string', maxLength: 200 },
        from: user,
        message: {
          type: 'object',
          required: ['message_id', 'chat'],
          properties: { message_id: { type: 'integer' }, chat },
        },
        data: { type: 'string', maxLength: 64, description: 'A category code, from the buttons the bot offered.' },
      },
    },
  },
};

export const telegramPaths: OpenAPIV3.PathsObject = {
  '/api/v1/inbound/telegram': {
    post: {
      tags: ['reports'],
      operationId: 'telegramWebhook',
      summary: 'An update from the Telegram bot’s webhook',
      description:
        'Called by Telegram only: `X-Telegram-Bot-Api-Secret-Token` must be the `secret_token` given to setWebhook (`TELEGRAM_WEBHOOK_SECRET`), else a 403 before the body is read. A shared location and photos, in any order, with words, and a category picked from the buttons the bot offers become one report; the bot answers in the chat with its link. A text naming a place and a category is filed at once; a text without a place goes to the coordinators’ inbox. A redelivered update (same `update_id`) is taken once. A 404 when `TELEGRAM_BOT_TOKEN` is not set. At most 64 KB.',
      parameters: [
        {
          name: 'X-Telegram-Bot-Api-Secret-Token',
          in: 'header',
          required: true,
          schema: { type: 'string', maxLength: 256 },
        },
      ],
      requestBody: { required: true, content: { 'application/json': { schema: update } } },
      responses: {
        '200': {
          description: 'Taken (whatever became of it: a report, a question in the chat, nothing). The body is `{}`.',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '400': response('BadRequest'),
        '403': response('Forbidden'),
        '404': response('NotFound'),
        '413': response('TooLarge'),
        '415': response('UnsupportedMediaType'),
        '422': response('Invalid'),
        '503': response('Unavailable'),
      },
    },
  },
};
