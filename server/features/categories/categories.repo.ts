import type pg from 'pg';

export type Kind = 'barrier' | 'help';
export type Language = 'en' | 'de' | 'fr';
export const LANGUAGES: readonly Language[] = ['en', 'de', 'fr'];

export interface Category {
  code: string;
  kind: Kind;
  icon: string;
  labels: Record<Language, string>;
  descriptions: Record<Language, string>;
  osmTags: string | null;
  sidewalkLabel: string | null;
  hxlSector: string | null;
}

interface CategoryRecord {
  code: string;
  kind: Kind;
  icon: string;
  label_en: string;
  label_de: string;
  label_fr: string;
  description_en: string;
  description_de: string;
  description_fr: string;
  osm_tags: string | null;
  sidewalk_label: string | null;
  hxl_sector: string | null;
}

export async function listCategories(pool: pg.Pool): Promise<Category[]> {
  const { rows } = await pool.query<CategoryRecord>(
    `SELECT code, kind, icon, label_en, label_de, label_fr, description_en, description_de, description_fr,
            osm_tags, sidewalk_label, hxl_sector
       FROM categories ORDER BY sort_order`,
  );
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind,
    icon: r.icon,
    labels: { en: r.label_en, de: r.label_de, fr: r.label_fr },
    descriptions: { en: r.description_en, de: r.description_de, fr: r.description_fr },
    osmTags: r.osm_tags,
    sidewalkLabel: r.sidewalk_label,
    hxlSector: r.hxl_sector,
  }));
}
