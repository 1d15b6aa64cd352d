import { displayActor, type KnownActors } from '../../../src/reports/display-actor';

const known: KnownActors = {
  units: new Map([['gd-grid', { name: '广东电网有限责任公司' }]]),
  tokens: new Map([
    ['t1', { label: '陈晓明', unit: 'gd-grid' }],
    ['t2', { label: null, unit: 'gd-grid' }],
    ['t3', { label: 'batch', unit: 'other-unit' }],
  ]),
};

describe('displayActor: the one way an actor is shown', () => {
  it('shows a token by its label and its unit’s name, or the unit alone', () => {
    expect(displayActor('token:t1', known)).toBe('陈晓明（广东电网有限责任公司）');
    expect(displayActor('token:t2', known)).toBe('广东电网有限责任公司');
    expect(displayActor('token:t3', known)).toBe('batch（other-unit）');
  });

  it('shows the operator, the product itself and an unknown token as recorded', () => {
    expect(displayActor('cli:alice', known)).toBe('cli:alice');
    expect(displayActor('system:scheduler', known)).toBe('system:scheduler');
    expect(displayActor('token:gone', known)).toBe('token:gone');
    expect(displayActor(null, known)).toBe('');
  });
});
