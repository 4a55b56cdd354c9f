import { describe, expect, it } from 'vitest';
import { metricHelp } from '../../src-renderer/lib/training';

describe('metric help on the run page', () => {
  it('says that two-class precision, recall and F1 are those of the positive class, by name', () => {
    expect(metricHelp('precision', ['negative', 'positive'])).toMatch(/"positive".*positive class/);
    expect(metricHelp('f1', ['0', '1'])).toMatch(/class "1"/);
    expect(metricHelp('recall', ['0', '1'])).not.toMatch(/macro/);
  });

  it('says macro average with more than two classes', () => {
    const help = metricHelp('precision', ['promoter', 'enhancer', 'ocr']);
    expect(help).toMatch(/macro average over classes/);
    expect(help).not.toMatch(/two classes/i);
  });
});
