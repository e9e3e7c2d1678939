// Regenerates golden.jsonl from the JDK's java.text.SimpleDateFormat (as TimestampConverter and TimestampRouter build
// it: UTC, en_US) and from the real Apache classes (connect-transforms 4.3.1): resolves the jars with Maven into
// .cache/smt-golden-dates/ (not checked in), compiles java/DateFormatGolden.java and feeds it the cases below.
// Run with JDK 17 on PATH:  node test/transforms/dates/generate-golden.mjs
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSmtGolden } from '../run-smt-golden.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..')
const CACHE = join(ROOT, '.cache', 'smt-golden-dates')

const cases = []
const fmt = (name, pattern, millis) => cases.push({ name, kind: 'format', pattern, millis })
const parse = (name, pattern, text) => cases.push({ name, kind: 'parse', pattern, text })
const smt = (name, cls, config, value, timestamp = 1700000000123) =>
  cases.push({ name, kind: 'smt', class: 'org.apache.kafka.connect.transforms.' + cls, config, ...(value === undefined ? {} : { value }), timestamp })

const DAY = 86400000
const utc = (y, m, d, h = 0, mi = 0, s = 0, ms = 0) => { const t = new Date(0); t.setUTCFullYear(y, m - 1, d); t.setUTCHours(h, mi, s, ms); return t.getTime() }
const CUTOVER = -12219292800000 // 1582-10-15T00:00Z, Java's default Gregorian cutover

// ---- Formatting: every pattern letter on chosen instants
const ALL = "G yyyy YYYY MM MMM MMMM LLL LLLL dd EEE EEEE u D F w W a HH kk KK hh mm ss SSS z zzzz Z X XX XXX"
const instants = []
for (const [y, m, d, n] of [[2019, 12, 29, 8], [2020, 12, 27, 9], [2026, 12, 27, 9]]) {
  for (let i = 0; i < n; i++) instants.push(['week-year boundary', utc(y, m, d + i, 13, 45, 30, 123)])
}
instants.push(['epoch', 0], ['one ms before epoch', -1], ['day before epoch', -DAY - 1], ['noon', utc(2023, 11, 14, 12, 0, 0, 7)],
  ['midnight', utc(2024, 2, 29)], ['leap day', utc(2024, 2, 29, 23, 59, 59, 999)], ['first Gregorian day', CUTOVER],
  ['last Julian day', CUTOVER - 1], ['last Julian day start', CUTOVER - DAY], ['1582-01-01', utc(1582, 1, 11)],
  ['1582-12-31', utc(1582, 12, 31, 6)], ['1583-01-01', utc(1583, 1, 1)], ['1500-02-29 Julian', utc(1500, 3, 10)],
  ['year 1', utc(1, 1, 3)], ['year 1 Dec 31', utc(1, 12, 30, 23)], ['1 BC', utc(0, 6, 15)], ['44 BC', utc(-43, 3, 15)],
  ['year 9999', utc(9999, 12, 31, 23, 59, 59, 999)], ['year 10000', utc(10000, 1, 1)], ['year 12345', utc(12345, 6, 7, 8, 9, 10, 11)],
  ['1900-01-01', utc(1900, 1, 1)], ['1999-12-31', utc(1999, 12, 31, 23)], ['2000-01-01', utc(2000, 1, 1, 0, 30)])
for (const [n, ms] of instants) fmt(`${n} ${new Date(ms).toISOString()}`, ALL, ms)
for (const p of ['yy', 'y', 'yyy', 'yyyyy', 'YY', 'Y', 'YYYYY', 'M', 'MMMMM', 'd', 'ddd', 'H', 'h', 'k', 'K', 'm', 's', 'S', 'SS', 'SSSS',
  'E', 'EE', 'EEEEE', 'u', 'uu', 'D', 'DDDD', 'F', 'FF', 'w', 'ww', 'W', 'WW', 'G', 'GGGG', 'a', 'aaaa', 'z', 'zz', 'zzz', 'zzzzz',
  'Z', 'ZZZZZ', 'L', 'LL', 'LLLLL']) {
  fmt(`single field ${p}`, p, utc(2021, 1, 3, 0, 5, 9, 45))
  fmt(`single field ${p} BC`, p, utc(-99, 12, 31, 12, 0, 0, 5))
}
fmt('week year YYYY on 2020-12-31', 'YYYY-MM-dd', utc(2020, 12, 31))
fmt('week year YYYY on 2019-12-30', 'YYYY-MM-dd', utc(2019, 12, 30))
fmt('week year YYYY on 2027-01-01', 'YYYY-MM-dd', utc(2027, 1, 1))
fmt("ISO week date YYYY-'W'ww-u", "YYYY-'W'ww-u", utc(2021, 1, 3))
fmt('quoted text and escaped quote', "'at' HH 'o''clock' ''", utc(2023, 5, 6, 7))
fmt('quote inside quoted text', "'It''s' yyyy", utc(2023, 5, 6, 7))
fmt('non-ASCII literal text', 'yyyy年MM月dd日', utc(2023, 5, 6, 7))
fmt('punctuation literals', 'yyyy/MM/dd#HH@mm!ss[SSS]', utc(2023, 5, 6, 7, 8, 9, 10))
fmt('many digits', 'yyyyyyyyyy SSSSSS dddd', utc(2023, 5, 6, 7, 8, 9, 10))
fmt('max-ish millis', 'G yyyy-MM-dd HH:mm:ss.SSS', 8640000000000000)
fmt('min-ish millis', 'G yyyy-MM-dd HH:mm:ss.SSS', -8640000000000000)
fmt('year 292278994', 'yyyy', 9007199254740991)
fmt('old negative millis', 'G yyyy-MM-dd EEE', -62135769600001)
for (const bad of ['yyyy-bb', 'q', "'unterminated", "yyyy'x", 'XXXX', 'T', 'e', 'c', 'A', 'n', 'yyyy-MM-ddTHH:mm', 'x', 'B', 'U']) {
  fmt(`invalid pattern ${bad}`, bad, 0)
}

// Sweep: the days around New Year (week years, week numbers, day of year) across calendars and eras.
const SWEEP = 'G yyyy YYYY MM dd ww W D F u EEE'
for (const y of [-500, -1, 0, 1, 4, 100, 1000, 1499, 1580, 1581, 1582, 1583, 1584, 1600, 1700, 1900, 1970, 2000, 2021, 2022, 2023, 2024, 2025, 2027, 2028, 9999, 10000, 99999]) {
  for (const d of [-4, -1, 0, 1, 3, 6]) fmt(`sweep ${y} Jan 1 ${d >= 0 ? '+' : ''}${d}`, SWEEP, utc(y, 1, 1 + d, 12))
}
// Sweep: the cutover months, one day at a time (Julian October 1582 ends on the 4th, Gregorian begins on the 15th).
for (let i = -8; i <= 24; i++) fmt(`sweep cutover ${i >= 0 ? '+' : ''}${i} days`, 'G yyyy-MM-dd D F W w u', CUTOVER + i * DAY)

// ---- Parsing
const P = (cls, list) => { for (const [pattern, text] of list) parse(`${cls}: ${JSON.stringify(pattern)} <- ${JSON.stringify(text)}`, pattern, text) }
P('basic', [['yyyy-MM-dd HH:mm:ss.SSS', '2023-11-14 22:13:20.123'], ['yyyy-MM-dd', '2024-02-29'], ["yyyy-MM-dd'T'HH:mm:ss", '2023-11-14T22:13:20'],
  ['yyyyMMdd', '20240115'], ['yyyyMMddHHmmss', '20240115103000'], ['HH:mm', '10:30'], ['yyyy', '2024'], ['MM', '07'], ['dd', '15']])
P('week year', [['YYYY-MM-dd', '2020-06-15'], ['YYYY-MM-dd', '2021-01-01'], ['YYYY', '2027'], ["YYYY-'W'ww-u", '2020-W01-1'],
  ["YYYY-'W'ww-u", '2021-W53-7'], ["YYYY-'W'ww-u", '2027-W01-5'], ['YYYY ww EEE', '2026 53 Thu'], ['yyyy YYYY', '2020 2021'], ['YYYY yyyy', '2021 2020'],
  ['YYYY-ww', '2020-01'], ['YYYY-ww', '2020-52'], ['YYYY-ww', '2020-53'], ['YY-ww', '20-10'], ['YYYY-ww-u', '2020-10-9'], ['YYYY-ww-u', '2020-10-0'], ['YYYY HH', '2019 25']])
P('day of year', [['yyyy-DDD', '2023-001'], ['yyyy-DDD', '2024-366'], ['yyyy-DDD', '2023-400'], ['yyyy-D', '2023-45'], ['D yyyy', '60 2024'],
  ['yyyy-MM-dd D', '2023-05-05 200'], ['yyyy D MM-dd', '2023 200 05-05'], ['yyyy-DDD', '1582-288'], ['yyyy-DDD', '1582-278']])
P('week of year', [['yyyy ww', '2023 10'], ['yyyy w EEE', '2023 10 Wed'], ['yyyy-MM-dd ww', '2023-05-05 02'], ['yyyy ww MM-dd', '2023 02 05-05'],
  ['yyyy w', '2021 1'], ['yyyy w', '2021 53'], ['yyyy w', '2021 0'], ['yyyy-w-u', '2026-53-4']])
P('week of month', [['yyyy-MM W', '2023-05 3'], ['yyyy-MM W EEE', '2023-05 3 Fri'], ['yyyy-MM W EEE', '2023-05 1 Sun'], ['yyyy-MM W', '2023-05 0'],
  ['yyyy-MM W u', '2023-05 6 7'], ['yyyy-MM-dd W', '2023-05-20 1']])
P('day of week in month', [['yyyy-MM F EEE', '2023-05 2 Tue'], ['yyyy-MM F', '2023-05 3'], ['yyyy-MM F EEE', '2023-05 5 Mon'], ['yyyy-MM F EEE', '2023-05 -1 Fri'],
  ['yyyy-MM F EEE', '2023-05 0 Wed'], ['yyyy-MM EEE', '2023-05 Wed']])
P('day number u', [['yyyy-MM-dd u', '2023-05-05 3'], ['yyyy-MM u', '2023-05 7'], ['yyyy-MM u', '2023-05 1'], ['yyyy u', '2023 5'], ['yyyy-MM u', '2023-05 8']])
P('day names E', [['EEE, dd MMM yyyy', 'Tue, 14 Nov 2023'], ['EEEE dd MMMM yyyy', 'Tuesday 14 November 2023'], ['EEE dd MMM yyyy', 'tuesday 14 nov 2023'],
  ['EEE yyyy-MM-dd', 'Fri 2023-11-14'], ['E yyyy-MM-dd', 'Xyz 2023-11-14'], ['EEEE', 'Mon'], ['yyyy-MM-dd EEEE', '2023-11-14 SUNDAY']])
P('month names', [['dd MMM yyyy', '14 Sept 2023'], ['dd MMM yyyy', '14 Sep 2023'], ['dd MMMM yyyy', '14 sep 2023'], ['dd MMM yyyy', '14 September 2023'],
  ['dd MMM yyyy', '14 MAY 2023'], ['dd MMM yyyy', '14 Ma 2023'], ['dd LLL yyyy', '14 Jun 2023'], ['dd LLLL yyyy', '14 June 2023'], ['dd LL yyyy', '14 06 2023']])
P('am pm', [['yyyy-MM-dd hh:mm a', '2023-11-14 12:30 AM'], ['yyyy-MM-dd hh:mm a', '2023-11-14 12:30 PM'], ['yyyy-MM-dd hh:mm a', '2023-11-14 01:30 pm'],
  ['yyyy-MM-dd KK:mm a', '2023-11-14 11:30 PM'], ['yyyy-MM-dd K a', '2023-11-14 12 PM'], ['yyyy-MM-dd h', '2023-11-14 12'], ['yyyy-MM-dd a hh', '2023-11-14 PM 03'],
  ['yyyy-MM-dd hh a HH', '2023-11-14 03 PM 04'], ['yyyy-MM-dd HH hh a', '2023-11-14 04 03 PM'], ['yyyy-MM-dd a', '2023-11-14 PM'], ['yyyy-MM-dd hh:mm a', '2023-11-14 01:30 XM'],
  ['yyyy-MM-dd hh:mm aa', '2023-11-14 01:30 a.m.']])
P('hours k K h', [['yyyy-MM-dd kk:mm', '2023-11-14 24:00'], ['yyyy-MM-dd kk:mm', '2023-11-14 00:00'], ['yyyy-MM-dd kk:mm', '2023-11-14 25:00'],
  ['yyyy-MM-dd KK:mm', '2023-11-14 12:00'], ['yyyy-MM-dd hh:mm', '2023-11-14 13:00'], ['yyyy-MM-dd HH:mm', '2023-11-14 24:00']])
P('era G', [['G yyyy-MM-dd', 'AD 2023-01-01'], ['G yyyy-MM-dd', 'BC 0044-03-15'], ['yyyy G', '1 BC'], ['G yyyy', 'ad 2023'], ['G yyyy', 'Anno 2023'],
  ['yyyy-MM-dd G', '0001-01-01 AD'], ['yyyy-MM-dd G', '0001-01-01 BC'], ['G yyyy', 'B 2023']])
P('iso zone X', [["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00Z'], ["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00+01'], ["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00+0130'],
  ["yyyy-MM-dd'T'HH:mmXX", '2023-11-14T10:00-0530'], ["yyyy-MM-dd'T'HH:mmXX", '2023-11-14T10:00-05:30'], ["yyyy-MM-dd'T'HH:mmXXX", '2023-11-14T10:00-05:30'],
  ["yyyy-MM-dd'T'HH:mmXXX", '2023-11-14T10:00-0530'], ["yyyy-MM-dd'T'HH:mmXXX", '2023-11-14T10:00Z'], ["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00+1'],
  ["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00+24'], ["yyyy-MM-dd'T'HH:mmXX", '2023-11-14T10:00+0160'], ["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00z'],
  ["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00 Z'], ["yyyy-MM-dd'T'HH:mmX", '2023-11-14T10:00']])
P('rfc zone Z', [['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +0100'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 -0530'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +01:00'],
  ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +01'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 Z'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 GMT'],
  ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 GMT+01:00'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 UTC'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +2400'],
  ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +0099'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 1000'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +1'],
  ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +123'], ['yyyy-MM-dd HH:mmZ', '2023-11-14 10:00+0100']])
P('zone name z', [['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 UTC'], ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 GMT'], ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 gmt'],
  ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 GMT+05:30'], ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 GMT+5'], ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 GMT-0800'],
  ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 +0800'], ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 Coordinated Universal Time'], ['yyyy-MM-dd HH:mm zzzz', '2023-11-14 10:00 utc'],
  ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 XYZ'], ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 PST'], ['yyyy-MM-dd HH:mm z', '2023-07-14 10:00 CEST'],
  ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 Z'], ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 UT']])
P('leading spaces', [['yyyy-MM-dd', ' 2023-11-14'], ['yyyy-MM-dd', '\t2023-11-14'], ['yyyy-MM-dd', '2023- 11-  14'], ['yyyy-MM-dd HH:mm', '2023-11-14   10:00'],
  ['yyyyMMdd', ' 20231114'], ['yyyy MMM', '2023  Nov'], ['yyyy-MM-dd', '   '], ['yyyy-MM-dd', '2023-11- '], ['yyyy-MM-dd', '2023 -11-14'], ['yyyy-MM-dd', '\n2023-11-14']])
P('lenient overflow', [['yyyy-MM-dd', '2023-02-30'], ['yyyy-MM-dd', '2023-13-01'], ['yyyy-MM-dd', '2023-00-00'], ['yyyy-MM-dd', '2023-01-400'],
  ['yyyy-MM-dd HH:mm:ss', '2023-12-31 23:59:60'], ['yyyy-MM-dd HH:mm:ss', '2023-12-31 25:61:61'], ['yyyy-MM-dd HH:mm:ss.SSS', '2023-12-31 00:00:00.5000'],
  ['yyyy-MM-dd', '2023--1-10'], ['yyyy-MM-dd', '2023-1--5'], ['yyyy-MM-dd', '2023-99-99'], ['MM/dd/yyyy', '14/14/2023'], ['yyyy-MM-dd', '0000-01-01'],
  ['yyyy-MM-dd', '-0001-01-01'], ['yyyy-MM-dd HH', '2023-01-01 -1']])
P('wide numbers', [['yyyy-MM-dd', '02023-011-0014'], ['y-M-d', '2023-1-5'], ['yy-MM-dd', '2023-11-14'], ['yyyy-MM-dd', '99999-01-01'],
  ['yyyy-MM-dd', '10000-01-01'], ['yyyy-MM-dd', '12345678901-01-01'], ['yyyy-MM-dd', '2023-11-4294967310'], ['yyyyMMdd', '202311145'],
  ['yyyyMMdd', '2023111'], ['yyyyMMddHHmm', '2023111410'], ['HHmm', '930'], ['yyyy-MM-dd', '2023-11-14.5'], ['yyyy-MM-dd', '2023-1,1-14'],
  ['yyyy-MM-dd', '2023-1E1-14'], ['yyyy-MM-dd', '+2023-11-14'], ['yyyy-MM-dd', '٢٠٢٣-١١-١٤'], ['SSS', '999999'], ['yyyy-MM-dd', '2023-11-9223372036854775808']])
P('trailing text', [['yyyy-MM-dd', '2023-11-14T10:00:00Z'], ['yyyy-MM-dd', '2023-11-14 garbage'], ['yyyy', '2023abc'], ['yyyy-MM', '2023-11-'],
  ['yyyy-MM-dd', '2023-11'], ['yyyy-MM-dd', ''], ['HH:mm', '10:'], ['HH:mm', '10']])
P('two digit years', [['yy-MM-dd', '23-11-14'], ['yy-MM-dd', '99-11-14'], ['yy-MM-dd', '70-01-01'], ['yy-MM-dd', '1-01-01'], ['yy-MM-dd', '123-01-01'],
  ['yyMMdd', '231114'], ['y-MM-dd', '23-11-14'], ['yyy-MM-dd', '23-11-14'], ['YY-MM-dd', '23-11-14']])
P('quoting', [["yyyy-MM-dd'T'HH", '2023-11-14T10'], ["yyyy-MM-dd'T'HH", '2023-11-14t10'], ["'It''s' yyyy", "It's 2023"], ["yyyy''MM", "2023'11"],
  ["'at' HH", 'at 10'], ["'at' HH", 'At 10'], ['yyyy年MM月', '2023年11月'], ["yyyy ' ' MM", '2023   11']])
P('julian and eras', [['yyyy-MM-dd', '1582-10-04'], ['yyyy-MM-dd', '1582-10-05'], ['yyyy-MM-dd', '1582-10-14'], ['yyyy-MM-dd', '1582-10-15'],
  ['yyyy-MM-dd', '1582-10-16'], ['yyyy-MM-dd', '1500-02-29'], ['yyyy-MM-dd', '1000-01-01'], ['yyyy-MM-dd', '0001-01-01'], ['yyyy-MM-dd', '1582-12-31'],
  ['yyyy-MM-dd', '1582-01-01'], ['yyyy-MM-dd', '1583-01-01'], ['yyyy-MM-dd G', '0044-03-15 BC'], ['yyyy-MM-dd', '1700-02-29'], ['yyyy-MM-dd', '1600-02-29'],
  ['yyyy-MM-dd HH:mm', '1582-10-04 23:59'], ['yyyy-MM-dd', '10000-01-01'], ['yyyy-MM-dd', '292278994-08-17'], ['G yyyy', 'BC 5000']])
P('zone names and spaces', [['HH:mm z', '10:00  GMT'], ['HH:mm z', '10:00  UTC'], ['HH:mm z', '10:00  +0100'], ['HH:mm Z', '10:00  GMT+01:00'],
  ['HH:mm z', '10:00 Greenwich Mean Time'], ['HH:mm z', '10:00 Pacific Standard Time'], ['HH:mm z', '10:00 pst'], ['HH:mm Z', '10:00 EST'],
  ['HH:mm z', '10:00 CET'], ['HH:mm z', '10:00 ESTX'], ['HH:mm z', '10:00 UTCX'], ['HH:mm z', '10:00 Coordinated'], ['HH:mm z', '10:00 GMTx'],
  ['HH:mm z', '10:00 GM'], ['HH:mm z', '10:00 Q'], ['HH:mm zzzz', '10:00 Central European Standard Time'], ['HH:mm z', '10:00 GMT+1:30'],
  ['HH:mm z', '10:00 GMT+24:00'], ['HH:mm z', '10:00 GMT+01:60'], ['HH:mm z yyyy', '10:00 GMT+01:00 2020'], ['HH:mm X', '10:00  -08'],
  ['HH:mm XXX', '10:00 -08:00:00'], ['MMM:ZZ-z', 'Dec:+0900-UTC'], ['HH:mm Z z', '10:00 +0100 Coordinated Universal Time'], ['HH:mm z Z', '10:00 UTC -0100'],
  ['HH:mm X z', '10:00 +01 GMT'], ['HH:mm Z z', '10:00 +0100 GMT+02:00']])
P('more numbers and names', [['yyyy-MM-dd', '2023-1E+1-14'], ['yyyy-MM-dd', '2023-1E-1-14'], ['yyyy-MM-dd', '2023-NaN-14'], ['yyyy-MM-dd', '2023-∞-14'],
  ['yyyy-MM-dd', '2023-11-1e1'], ['dd LLL yyyy', '14 J 2023'], ['dd LLL yyyy', '14 Sept 2023'], ['dd LLLL yyyy', '14 may 2023'], ['yyyy-MM-dd', '2023-0x1-14'],
  ['yyyy-MM-dd', '2023-１１-14'], ['yyyy-MM-dd', '-2023-11-14'], ['yyyy-MM-dd', '2023-11--0'], ['MMM d, yyyy', 'Nov 14, 2023'], ['MMMMM d yyyy', 'Nov 14 2023'],
  ['ss', '1E2١٢'], ['ss', '1E215823120213663112'], ['kk ZZ', '1E221474836482147483648 +0100'], ['ss', '1E2147483647'], ['ss', '12E-1'],
  ['ss', '123456789012345678901234E-20'], ['ss', '-5E1'], ['ss', '0E5'], ['ss', '-0'], ['ss', '1E'], ['ss', '9223372036854775807'], ['ss', '9223372036854775808']])
// Sweep: week dates and day-of-year dates read back across calendars and eras.
for (const y of ['-0005', '0001', '1000', '1581', '1582', '1583', '1600', '1999', '2020', '2021', '2026', '2027', '9999', '10000']) {
  P('sweep week dates', [["YYYY-'W'ww-u", `${y}-W01-1`], ["YYYY-'W'ww-u", `${y}-W01-7`], ["YYYY-'W'ww-u", `${y}-W52-3`], ["YYYY-'W'ww-u", `${y}-W53-6`],
    ['yyyy-ww EEE', `${y}-02 Sat`], ['yyyy-DDD', `${y}-001`], ['yyyy-DDD', `${y}-300`], ['yyyy-DDD', `${y}-366`], ['yyyy-MM W EEE', `${y}-10 3 Mon`],
    ['yyyy-MM F EEE', `${y}-10 2 Sun`], ['G yyyy-MM-dd', `BC ${y}-03-01`], ['yyyy-MM-dd', `${y}-02-29`]])
}
P('int overflow in week arithmetic', [['yyyy w', '2023 400000000'], ['yyyy w EEE', '2023 400000000 Wed'], ['yyyy-MM W', '2023-05 400000000'],
  ['yyyy-MM W EEE', '2023-05 400000000 Mon'], ['yyyy-MM F', '2023-05 400000000'], ['yyyy-MM F EEE', '2023-05 -400000000 Fri'], ['YYYY ww', '2020 400000000'],
  ['YYYY ww u', '2020 10 2147483647'], ['YYYY ww u', '2020 10 -2147483648'], ['yyyy-DDD', '2023-2147483647'], ['yyyy-MM-dd', '2023-2147483647-2147483647'],
  ['YFF', '999999999999saturday'], ["YyyyZZ'T'YYY", '274045274045+0000T274045'], ['yyyy-MM-dd', '1030830013-01-01'], ['yyyy w', '2023 613566757'], ['yyyy-MM W', '2023-05 613566757'], ['yyyy-MM F', '2023-05 613566757'],
  ['yyyy-MM F EEE', '2023-05 -613566758 Fri'], ['YYYY ww', '2020 613566757'], ['YYYY ww u', '2020 613566757 3'], ['yyyy w EEE', '2023 613566757 Sat'], ['yyyy-MM-dd HH', '2023-01-01 2147483647'], ['yyyy G', '2147483647 BC']])
P('unknown letters', [['yyyy-qq', '2023-01'], ['T', 'x']])

// ---- Through the real SMTs
const str = v => ({ schema: { type: 'string', optional: false }, payload: v })
const tsv = v => ({ schema: { type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }, payload: v })
const i64 = v => ({ schema: { type: 'int64', optional: false }, payload: v })
const TCV = 'TimestampConverter$Value'
for (const [pattern, text] of [['YYYY-MM-dd', '2020-06-15'], ['yyyy-DDD', '2023-045'], ['yyyy-MM-dd', '2023-02-30'], ['yyyy-MM-dd', ' 2023-11-14'],
  ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 UTC'], ['yyyy-MM-dd HH:mm Z', '2023-11-14 10:00 +01:00'], ['yyyy-MM-dd', '1582-10-10'], ['G yyyy-MM-dd', 'BC 0001-01-01'],
  ['yyyy-MM-dd', '2023-11'], ['yyyy-MM-dd', '2023-11-14 trailing'], ["YYYY-'W'ww-u", '2027-W01-1'], ['yyyy w', '2023 10'], ['yyyy-MM W', '2023-05 3'],
  ['yyyy-MM-dd HH:mm z', '2023-11-14 10:00 XYZ'], ['EEE MMM dd yyyy', 'Tue Nov 14 2023'], ['yyyy-MM-dd', '10000-01-01']]) {
  smt(`string to Timestamp ${pattern} <- ${text}`, TCV, { 'target.type': 'Timestamp', format: pattern }, str(text))
}
for (const [pattern, ms] of [['YYYY-MM-dd', utc(2020, 12, 31)], ['YYYY-ww-u', utc(2027, 1, 1)], ['G yyyy-MM-dd', utc(-43, 3, 15)], ['yyyy-MM-dd', CUTOVER - 1],
  ['w W F D u E a h K k', utc(2023, 11, 14, 0, 30)], ['z zzzz Z X XXX', utc(2023, 11, 14)], ['yyyy-MM-dd', utc(10000, 1, 1)], ['yyyy-MM-dd HH:mm:ss.SSS', -1],
  ['yy', utc(1905, 1, 1)], ['MMMM', utc(2023, 9, 1)]]) {
  smt(`Timestamp to string ${pattern} @ ${ms}`, TCV, { 'target.type': 'string', format: pattern }, tsv(ms))
  smt(`unix to string ${pattern} @ ${ms}`, TCV, { 'target.type': 'string', format: pattern }, i64(ms))
}
smt('unix seconds to string', TCV, { 'target.type': 'string', format: 'YYYY-ww', 'unix.precision': 'seconds' }, i64(1609372800))
smt('string to string reformats', TCV, { 'target.type': 'string', format: 'yyyy-MM-dd' }, str('2023-02-30'))
smt('string to unix week year', TCV, { 'target.type': 'unix', format: 'YYYY' }, str('2021'))
for (const bad of ['yyyy-bb', "'open", 'XXXX', 'yyyy-MM-ddTHH']) {
  smt(`TimestampConverter invalid ${bad}`, TCV, { 'target.type': 'string', format: bad }, tsv(0))
  smt(`TimestampRouter invalid ${bad}`, 'TimestampRouter', { 'timestamp.format': bad }, str('v'))
}
for (const [pattern, ms] of [['YYYY-ww', utc(2020, 12, 31)], ['YYYYww', utc(2019, 12, 29)], ['yyyy-MM-dd', utc(2026, 12, 31)], ['YYYY', utc(2026, 12, 28)],
  ['G-yyyy-MM-dd', utc(-43, 3, 15)], ['yyyy-MM-dd', CUTOVER - DAY], ['yyyyMMdd', utc(10000, 1, 1)], ['yyyy-DDD', -1], ['EEE-a-zzzz', utc(2023, 11, 14)],
  ['W-F-w-u', utc(2021, 1, 2)], ["yyyy'-'MM", -62135769600001]]) {
  smt(`TimestampRouter ${pattern} @ ${ms}`, 'TimestampRouter', { 'topic.format': '${topic}-${timestamp}', 'timestamp.format': pattern }, str('v'), ms)
}

/** The quoted names several to a line, wrapped at 120 columns, so that the generated table stays a short file. */
function zoneNameLines (names) {
  const lines = []
  for (const name of names) {
    const quoted = `'${name.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
    const last = lines.length - 1
    if (last >= 0 && lines[last].length + 2 + quoted.length + 1 <= 120) lines[last] += `, ${quoted}`
    else lines.push(`  ${quoted}`)
  }
  return lines
}

// Java's zone-name table (en_US), which decides whether a word in a 'z'/'Z' position parses (and switches zones).
const zoneClasses = join(CACHE, 'zone-classes')
execFileSync('javac', ['-d', zoneClasses, join(HERE, 'java', 'ZoneNames.java')])
const zoneNames = JSON.parse(execFileSync('java', ['-Duser.timezone=UTC', '-Duser.language=en', '-Duser.country=US', '-cp', zoneClasses, 'ZoneNames'], { encoding: 'utf8' }))
writeFileSync(join(ROOT, 'src', 'transforms', 'util', 'java-zone-names.ts'), `// Generated by test/transforms/dates/generate-golden.mjs from the JDK 17 DateFormatSymbols zone strings (en_US):
// every time zone name SimpleDateFormat recognises when parsing a 'z' or 'Z' field. Do not edit.
export const JAVA_ZONE_NAMES: readonly string[] = [
${zoneNameLines(zoneNames).join(',\n')}
]
`)

const out = runSmtGolden({ cacheDir: CACHE, artifactId: 'smt-golden-dates', source: join(HERE, 'java', 'DateFormatGolden.java'), mainClass: 'DateFormatGolden', cases })
writeFileSync(join(HERE, 'golden.jsonl'), out)
process.stdout.write(`golden.jsonl: ${out.trim().split('\n').length} cases\n`)
