// API keys for Open311 clients (being built).
import { Router } from 'express';
import type pg from 'pg';

export function apiKeysRouter(_pool: pg.Pool): Router {
  return Router();
}
