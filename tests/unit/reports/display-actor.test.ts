import { displayActor, type KnownActors } from '../../../src/reports/display-actor';

const known: KnownActors = {
  units: new Map([['gd-grid', { name: '广东电网有限责任公司' }]]),
  tokens: new Map([
    ['t1', { label: '陈晓明', unit: 'gd-grid' }],
    ['t2', { label: null, unit: 'gd-grid' }],
    ['t3', { label: 'batch', unit: 'other-unit' }],
  ]),
  people: new Map([
    ['chen.li', { name: '陈丽', unit: 'gd-grid' }],
    ['wang.nea', { name: '王监管', unit: null }],
  ]),
};

describe('displayActor: the one way an actor is shown', () => {
  it('shows a token by its label and its unit’s name, or the unit alone', () => {
    expect(displayActor('token:t1', known)).toBe('陈晓明（广东电网有限责任公司）');
    expect(displayActor('token:t2', known)).toBe('广东电网有限责任公司');
    expect(displayActor('token:t3', known)).toBe('batch（other-unit）');
  });

  it('shows a person by name and the unit they act for on this ledger', () => {
    expect(displayActor('person:chen.li', known)).toBe('陈丽（广东电网有限责任公司）');
    expect(displayActor('person:wang.nea', known)).toBe('王监管');
    expect(displayActor('person:gone', known)).toBe('person:gone');
  });

  it('shows the operator, the product itself and an unknown token as recorded', () => {
    expect(displayActor('cli:alice', known)).toBe('cli:alice');
    expect(displayActor('system:scheduler', known)).toBe('system:scheduler');
    expect(displayActor('token:gone', known)).toBe('token:gone');
    expect(displayActor(null, known)).toBe('');
  });
});
