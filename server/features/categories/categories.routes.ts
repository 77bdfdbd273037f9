import { Router } from 'express';
import type { Taxonomy } from './categories.service';

export function categoriesRouter(taxonomy: Taxonomy): Router {
  const router = Router();
  router.get('/api/v1/categories', async (_req, res) => {
    const categories = await taxonomy.all();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.json({
      categories: categories.map((c) => ({
        code: c.code,
        kind: c.kind,
        icon: c.icon,
        labels: c.labels,
        descriptions: c.descriptions,
        osm_tags: c.osmTags,
        project_sidewalk: c.sidewalkLabel,
        hxl_sector: c.hxlSector,
      })),
    });
  });
  return router;
}
