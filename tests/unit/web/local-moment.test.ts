import { instantOfLocal, localDateText, localMomentText, zoneOffsetText } from '../../../src/web/local-moment';

describe('moments as a programme’s people read and type them', () => {
  it('reads typed wall-clock time in the programme’s zone, in either date form', () => {
    expect(instantOfLocal('2021-07-01 09:20', 'Asia/Shanghai')).toBe('2021-07-01T09:20:00+08:00');
    expect(instantOfLocal('01/07/2021 09:20:05', 'Asia/Ho_Chi_Minh')).toBe('2021-07-01T09:20:05+07:00');
    expect(instantOfLocal('2021-07-01T09:20', 'Asia/Ho_Chi_Minh')).toBe('2021-07-01T09:20:00+07:00');
    expect(instantOfLocal('2021-07-01', 'Asia/Shanghai')).toBe('2021-07-01T00:00:00+08:00');
    // A zone with daylight saving takes the offset in force on that day.
    expect(instantOfLocal('2021-01-15 12:00', 'America/New_York')).toBe('2021-01-15T12:00:00-05:00');
    expect(instantOfLocal('2021-07-15 12:00', 'America/New_York')).toBe('2021-07-15T12:00:00-04:00');
  });

  it('refuses what is no moment: impossible dates and times, other text, an unknown zone', () => {
    for (const text of ['2021-02-30', '2021-07-01 24:00', '2021-07-01 09:60', '31/13/2021', 'yesterday', '123', ''])
      expect(instantOfLocal(text, 'Asia/Shanghai')).toBeNull();
    expect(instantOfLocal('2021-07-01 09:20', 'Mars/Base')).toBeNull();
  });

  it('shows an instant as local time in the page’s language form, with the zone’s offset', () => {
    expect(localMomentText('2021-07-01T01:20:00.000Z', 'Asia/Shanghai', 'zh')).toBe('2021-07-01 09:20:00');
    expect(localMomentText('2021-07-01T01:20:00.000Z', 'Asia/Ho_Chi_Minh', 'vi', 'minute')).toBe('01/07/2021 08:20');
    expect(localDateText('2021-12-31', 'vi')).toBe('31/12/2021');
    expect(localDateText('2021-12-31', 'en')).toBe('2021-12-31');
    expect(zoneOffsetText('Asia/Ho_Chi_Minh')).toBe('UTC+07:00');
    expect(zoneOffsetText('Asia/Kolkata')).toBe('UTC+05:30');
    expect(zoneOffsetText('America/New_York', '2021-01-15T12:00:00Z')).toBe('UTC-05:00');
  });

  it('round-trips: what a page shows is read back as the same instant', () => {
    const instant = '2026-12-06T17:05:00.000Z';
    for (const [zone, lang] of [['Asia/Shanghai', 'zh'], ['Asia/Ho_Chi_Minh', 'vi']] as const) {
      expect(new Date(instantOfLocal(localMomentText(instant, zone, lang), zone)!).toISOString()).toBe(instant);
    }
  });
});
