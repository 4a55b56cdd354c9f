import type { AppInfo } from '../../src-shared/api';

/** Help > About: versions for bug reports and the licences of the bundled data (their attribution is required). */
export function aboutText(info: AppInfo): string {
  const versions = Object.entries(info.versions).map(([name, v]) => `${name}: ${v}`);
  const licences = info.dataLicences.map((d) => `• ${d.name} — ${d.licence}\n  ${d.attribution}`);
  return [...versions, '', 'Bundled data:', ...licences].join('\n');
}
