// The collections link the latest release's files (rel=enclosure): the whole data set in one
// download per format, at a dated URL a paper can cite (docs/DATA.md, "Releases").
import type { LatestRelease } from '../releases/releases.service';

export interface ReleaseSource {
  latestRelease(): LatestRelease | undefined;
}

export function releaseLinks(
  source: ReleaseSource | undefined,
  base: string,
): { href: string; rel: string; type: string; title: string; length: number }[] {
  const latest = source?.latestRelease();
  if (!latest) return [];
  return latest.files.map((f) => ({
    href: `${base}${f.href}`,
    rel: 'enclosure',
    type: f.type,
    title: `Release ${latest.id}: ${f.name} (every public report)`,
    length: f.bytes,
  }));
}
