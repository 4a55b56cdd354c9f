import { ApiError } from '../../src-shared/api';
import type { AppService } from './app-service';

/**
 * What every interactive host does at start: the first start opens the demo project (built from resources/), later
 * starts show the home screen with the recent list. A failure here must never stop the app from starting.
 */
export async function openInitialProject(service: AppService): Promise<void> {
  if (service.recent.list().length > 0) return;
  try {
    await service.call('project:openDemo', undefined);
  } catch (err) {
    const message = err instanceof ApiError ? err.message : String(err);
    console.error(`DNA LM Studio: could not open the demo project: ${message}`);
  }
}
