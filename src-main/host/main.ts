/**
 * `npm start` where no Electron binary is installed (build machines, lab servers): the same app in a browser.
 * Options: --port N (default: a free port). Per-user state goes to $DNALM_HOME (default ~/.config/dna-lm-studio).
 */
import path from 'node:path';
import { forkChildProcess } from '../jobs/worker-process';
import { appName, appVersion, defaultUserDataDir, rendererDir } from '../paths';
import { AppService } from '../service/app-service';
import { openInitialProject } from '../service/startup';
import { startWebHost } from './web-host';

async function main(): Promise<void> {
  const portArg = process.argv.indexOf('--port');
  const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
  const userDataDir = defaultUserDataDir();
  const service = new AppService({ host: 'web', userDataDir, launcher: forkChildProcess });
  await openInitialProject(service);
  const host = await startWebHost({ service, rendererDir, port, uploadDir: path.join(userDataDir, 'uploads') });
  console.log(`${appName} ${appVersion} is running.`);
  console.log(`Open this address in your browser (it contains your private access token):`);
  console.log(`  ${host.url}`);
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await service.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`${appName} could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
