// Open311 GeoReport v2 under /open311/v2 (stub, being built).
import { Router, type Request } from 'express';
import type pg from 'pg';
import type { EventBus } from '../../live/bus';
import type { Taxonomy } from '../categories/categories.service';
import type { PhotoStorage } from '../photos/photos.storage';

export interface Open311Deps {
  pool: pg.Pool;
  events: EventBus;
  storage: PhotoStorage;
  taxonomy: Taxonomy;
  helpGridM: number;
  baseUrl: (req: Request) => string;
  /** Lets media_url point at private, loopback or link-local addresses (tests, closed networks). */
  allowPrivateMedia: boolean;
}

export function open311Router(_deps: Open311Deps): Router {
  return Router();
}
