import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffTemplates, parseTemplate } from '../../../src/programmes/load-template';
import { programmeDecider, type ProgrammeEvent } from '../../../src/programmes/register-programme/programme.decider';
import type { ProgrammeTemplate } from '../../../src/programmes/template';

const file = join(__dirname, '../../../templates/programmes/dongthap-ocop-2026-2030.yaml');
const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
if (!loaded.ok) throw new Error('the shipped template must load');
const command = (template: ProgrammeTemplate, digest: string) => ({ template, digest, source: 'dongthap-ocop-2026-2030.yaml', diff: diffTemplates });
const given = (events: ProgrammeEvent[]) => events.reduce(programmeDecider.evolve, programmeDecider.initialState());

describe('programme decider', () => {
  it('registers a new programme with its digest and template', () => {
    const [event] = programmeDecider.decide(command(loaded.template, loaded.digest), given([]));
    expect(event.type).toBe('ProgrammeRegistered');
    expect(event.data).toMatchObject({ programmeId: 'dongthap-ocop-2026-2030', digest: loaded.digest });
  });

  it('decides nothing for an unchanged template', () => {
    const registered = programmeDecider.decide(command(loaded.template, loaded.digest), given([]));
    expect(programmeDecider.decide(command(loaded.template, loaded.digest), given(registered))).toEqual([]);
  });

  it('amends with the difference when the template changed', () => {
    const registered = programmeDecider.decide(command(loaded.template, loaded.digest), given([]));
    const changed: ProgrammeTemplate = { ...loaded.template, tasks: loaded.template.tasks.filter((t) => t.number !== '1.3') };
    const [event] = programmeDecider.decide(command(changed, 'new-digest'), given(registered));
    expect(event.type).toBe('ProgrammeAmended');
    expect(event.data).toMatchObject({ digest: 'new-digest', previousDigest: loaded.digest, changes: { tasksRemoved: ['1.3'], tasksAdded: [] } });
  });
});
