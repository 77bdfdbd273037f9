/**
 * The two facts several parts of the app react to — where and what — kept in one place so
 * the map, the duplicate check and the form never disagree. Everything else lives in the form.
 */
import type { Category } from '../lib/api';
import type { PlaceSource } from './map';

export interface Place {
  lat: number;
  lon: number;
  /** Only known for a GPS fix; a pin set by hand has no measured accuracy. */
  accuracyM: number | null;
  source: PlaceSource;
}

type Listener = (changed: 'place' | 'category') => void;

export class DraftState {
  place: Place | null = null;
  category: Category | null = null;
  private listeners = new Set<Listener>();

  setPlace(place: Place | null): void {
    this.place = place;
    this.emit('place');
  }

  setCategory(category: Category | null): void {
    this.category = category;
    this.emit('category');
  }

  subscribe(fn: Listener): void {
    this.listeners.add(fn);
  }

  private emit(changed: 'place' | 'category'): void {
    for (const fn of this.listeners) fn(changed);
  }
}
