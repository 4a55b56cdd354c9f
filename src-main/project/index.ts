/** The project file layer: one folder per project, a crash-safe sql.js database inside, one writer at a time. */
export { ProjectStore, SETTING_KEYS, type CreateProjectOptions, type OpenProjectOptions } from './project-store';
export { RecentProjects, MAX_RECENT_PROJECTS } from './recent-projects';
export { ProjectLock, LOCK_FILE_NAME, readLock, type LockInfo } from './project-lock';
export { writeFileAtomicSync, removeLeftoverTempFiles, backupPathOf, type AtomicWriteOptions } from './atomic-write';
export {
  PROJECT_EXTENSION,
  DB_FILE_NAME,
  ARTIFACTS_DIR_NAME,
  projectFiles,
  withProjectExtension,
  preMigrationBackupPath,
  type ProjectFiles,
} from './project-paths';
export { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, type Migration } from './schema';
export type { Database } from './sqlite';
