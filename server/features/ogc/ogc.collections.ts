// The collections of the OGC API: all public reports, and each kind alone.
export const COLLECTIONS = {
  reports: { title: 'Reports', description: 'Every public report: barriers and help requests.', kinds: undefined },
  barriers: { title: 'Barriers', description: 'Barriers to accessibility reported by the public.', kinds: ['barrier'] },
  help: {
    title: 'Help requests',
    description: 'Requests for help; each shown at the centre of a coarse grid cell, never at the exact place.',
    kinds: ['help'],
  },
} as const;
export type CollectionId = keyof typeof COLLECTIONS;
