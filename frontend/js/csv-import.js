// Applications from a CSV file (a spreadsheet's or another tracker's
// export): decode, parse, map the headers by name, check every row, find
// duplicates, then write the good rows in chunks. Nothing here touches the
// store until `importRows` is called (after the person confirms).
// docs/frontend.md ("CSV import") lists the headers and the limits.

import { readUrl, dateProblem } from './pipeline.js';
import { APPLICATION_STATUSES } from './content.js';

export const MAX_ROWS = 10_000;
export const MAX_BYTES = 10 * 1024 * 1024;
export const CHUNK = 200;

// A file refused as a whole; `message` says why in plain words.
export class CsvRefused extends Error {}

// ---- bytes to text ---------------------------------------------------------

// UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252 (what
// older Excel saves). Binary files (a spreadsheet, a PDF, an image) are refused.
export function decode(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (!b.length) throw new CsvRefused(EMPTY);
  if (b.length > MAX_BYTES) throw new CsvRefused('This file is larger than 10 MB. Split it into smaller files and import each one.');
  if (b[0] === 0x50 && b[1] === 0x4b) throw new CsvRefused(SPREADSHEET);
  let text;
  if (b[0] === 0xff && b[1] === 0xfe) text = new TextDecoder('utf-16le').decode(b);
  else if (b[0] === 0xfe && b[1] === 0xff) text = new TextDecoder('utf-16be').decode(b);
  else {
    if (b.includes(0)) throw new CsvRefused(NOT_CSV);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      text = new TextDecoder('windows-1252').decode(b);
    }
  }
  text = text.replace(/^\uFEFF/, '');
  // Text has next to no control characters besides tabs and line breaks.
  const controls = (text.slice(0, 65536).match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g) ?? []).length;
  if (controls > 0) throw new CsvRefused(NOT_CSV);
  return text;
}

const EMPTY = 'This file is empty. It needs a header row (Company, Role, …) and one row per application.';
const NOT_CSV = 'This file isn’t a CSV file. In your spreadsheet or tracker, export or “Save as” CSV, then import that file.';
const SPREADSHEET = 'This looks like a spreadsheet file (such as .xlsx), not CSV. In your spreadsheet, choose “Save as” or “Download” → CSV, then import that file.';

// ---- text to rows ------------------------------------------------------------

// The separator: comma, unless the header line has more semicolons or tabs
// outside quotes (spreadsheets in some languages save with semicolons).
export function sniffDelimiter(text) {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of text.slice(0, 10_000)) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c] += 1;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return n ? best : ',';
}

// RFC 4180 with the usual leniencies: quoted fields may hold separators,
// quotes ("" for one) and line breaks; lines end in LF, CRLF or CR; a
// leading BOM goes; blank lines are skipped. Returns { rows, lines }, where
// lines[i] is the line rows[i] starts on (1 = the header).
export function parseCsv(text, delimiter = sniffDelimiter(text)) {
  const rows = [];
  const lines = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 0;
  const s = text.replace(/^\uFEFF/, '');
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0].trim() !== '') {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
    cell = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) line += 1;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && s[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      cell += c;
    }
  }
  if (quoted) throw new CsvRefused(`This file doesn’t read as CSV: a quote opened on line ${quoteLine} is never closed.`);
  if (cell !== '' || row.length) endRow();
  return { rows, lines };
}

// ---- headers -------------------------------------------------------------------

// Header names (compared in lower case, "_" and "-" read as spaces) and the
// field each fills. The first column that matches a field wins.
export const HEADERS = {
  company: ['company', 'employer', 'company name', 'organization', 'organisation'],
  role: ['role', 'title', 'position', 'job title', 'job'],
  url: ['url', 'link', 'job link', 'job url'],
  status: ['status', 'stage'],
  applied_on: ['date applied', 'applied on', 'applied', 'application date', 'date'],
  source: ['source'],
  notes: ['notes', 'note', 'comments'],
};

const normal = (header) => header.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');

// { columns: {field: index}, names: {field: header}, unused: [header] }
export function mapHeaders(header) {
  const columns = {};
  const names = {};
  const unused = [];
  header.forEach((raw, i) => {
    const name = normal(raw);
    const f = Object.keys(HEADERS).find((k) => HEADERS[k].includes(name));
    if (f && !(f in columns)) {
      columns[f] = i;
      names[f] = raw.trim();
    } else if (raw.trim()) {
      unused.push(raw.trim());
    }
  });
  return { columns, names, unused };
}

// ---- values ---------------------------------------------------------------------

const STATUS_WORDS = {
  applied: ['applied', 'application sent', 'sent', 'submitted', 'open', 'waiting', 'pending'],
  screening: ['screening', 'screen', 'phone screen', 'recruiter call', 'in review'],
  interviewing: ['interviewing', 'interview', 'interviews', 'final round', 'onsite', 'on site'],
  offer: ['offer', 'offered', 'offer received'],
  accepted: ['accepted', 'hired', 'offer accepted'],
  rejected: ['rejected', 'rejection', 'declined', 'not selected', 'turned down', 'no'],
  withdrawn: ['withdrawn', 'withdrew', 'not interested'],
  ghosted: ['ghosted', 'no reply', 'no response', 'no answer', 'silence'],
};
for (const [value, label] of APPLICATION_STATUSES) STATUS_WORDS[value].push(label.toLowerCase());

export function readStatus(text) {
  const t = normal(text ?? '');
  if (!t) return 'applied';
  return Object.keys(STATUS_WORDS).find((k) => STATUS_WORDS[k].includes(t)) ?? null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n) => String(n).padStart(2, '0');
const year = (y) => (y.length === 2 ? 2000 + Number(y) : Number(y));

// Numeric dates like 3/11/2026: day first or month first? Whatever the file
// shows (a first part over 12 means day first, a second part over 12 month
// first), else this device's own date order.
export function dayFirstIn(values, locale) {
  for (const v of values) {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b/.exec((v ?? '').trim());
    if (m && Number(m[1]) > 12) return true;
    if (m && Number(m[2]) > 12) return false;
  }
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(new Date(2026, 10, 3));
  return parts.findIndex((p) => p.type === 'day') < parts.findIndex((p) => p.type === 'month');
}

// 'YYYY-MM-DD', '' for no date, or null when it can't be read.
export function readDate(text, dayFirst) {
  const t = (text ?? '').trim();
  if (!t) return '';
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/.exec(t);
  if (m) return `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:\s.*)?$/.exec(t);
  if (m) {
    const [d, mo] = dayFirst ? [m[1], m[2]] : [m[2], m[1]];
    return `${year(m[3])}-${pad(mo)}-${pad(d)}`;
  }
  m = /^(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s,-]+(\d{4})$/i.exec(t); // 3 Nov 2026, 3-Nov-2026
  const n = m ? MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) : -1;
  if (n >= 0) return `${m[3]}-${pad(n + 1)}-${pad(m[1])}`;
  m = /^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(t); // Nov 3, 2026
  const k = m ? MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) : -1;
  if (k >= 0) return `${m[3]}-${pad(k + 1)}-${pad(m[2])}`;
  return null;
}

// Same company, role and date: one application (case and spacing aside).
export const duplicateKey = (a) => [a.company, a.role, a.applied_on]
  .map((v) => String(v ?? '').trim().toLowerCase().replace(/\s+/g, ' ')).join('\u0000');

// ---- the whole file -------------------------------------------------------------

const LIMITS = { company: 200, role: 200, source: 200, notes: 10_000 };

// Everything the preview shows, from the file's text: refused (throws
// CsvRefused) or { names, unused, rows: [{ line, fields, problems, notes,
// duplicate }], ready: [fields] }. `existing`: the applications already in
// the store; `today`: 'YYYY-MM-DD' in the user's timezone.
export function analyse(text, existing, today, locale) {
  const { rows, lines } = parseCsv(text);
  if (!rows.length) throw new CsvRefused(EMPTY);
  const [header, ...data] = rows;
  const { columns, names, unused } = mapHeaders(header);
  if (!('company' in columns)) {
    const found = header.map((x) => x.trim()).filter(Boolean);
    throw new CsvRefused(`There’s no company column. Name the column with the employer “Company” or “Employer”.${
      found.length ? ` The columns in this file are: ${found.slice(0, 8).join(', ')}${found.length > 8 ? ', …' : ''}.` : ''}`);
  }
  if (!data.length) throw new CsvRefused('This file has a header row but no applications under it.');
  if (data.length > MAX_ROWS) {
    throw new CsvRefused(`This file has ${data.length.toLocaleString('en')} rows; Rebound imports up to ${MAX_ROWS.toLocaleString('en')} at a time. Split it into smaller files and import each one.`);
  }
  const cell = (row, f) => (f in columns ? (row[columns[f]] ?? '').trim() : '');
  const dayFirst = dayFirstIn(data.map((r) => cell(r, 'applied_on')), locale);
  const stored = new Set(existing.map(duplicateKey));
  const inFile = new Set();
  const out = data.map((row, i) => {
    const problems = [];
    const notes = [];
    const fields = { company: cell(row, 'company') };
    if (!fields.company) problems.push('No company.');
    for (const f of ['role', 'source', 'notes']) {
      const v = f === 'notes' && 'notes' in columns ? (row[columns.notes] ?? '') : cell(row, f);
      if (v.trim()) fields[f] = v; // notes as written, the rest trimmed
    }
    for (const f of Object.keys(LIMITS)) {
      if ((fields[f] ?? '').length > LIMITS[f]) problems.push(`The ${f} is longer than ${LIMITS[f].toLocaleString('en')} characters.`);
    }
    const rawDate = cell(row, 'applied_on');
    const date = readDate(rawDate, dayFirst);
    if (date === null) problems.push(`The date “${rawDate}” can’t be read. Use a date like ${today}.`);
    else if (date === '') {
      fields.applied_on = today;
      notes.push('No date: counted as today.');
    } else {
      const bad = dateProblem(date, today);
      if (bad) problems.push(`The date “${rawDate}”: ${bad}`);
      fields.applied_on = date;
    }
    const rawStatus = cell(row, 'status');
    const status = readStatus(rawStatus);
    fields.status = status ?? 'applied';
    if (status === null) notes.push(`“${rawStatus}” isn’t a status Rebound knows, so it comes in as Applied.`);
    const rawUrl = cell(row, 'url');
    if (rawUrl) {
      const { url, problem } = readUrl(rawUrl);
      if (problem) problems.push(`The link “${rawUrl.slice(0, 60)}” can’t be kept: only http:// and https:// addresses are.`);
      else fields.url = url;
    }
    let duplicate = null;
    if (!problems.length) {
      const key = duplicateKey(fields);
      if (stored.has(key)) duplicate = 'existing';
      else if (inFile.has(key)) duplicate = 'file';
      inFile.add(key);
    }
    return { line: lines[i + 1], fields, problems, notes, duplicate };
  });
  return {
    names, unused, rows: out,
    ready: out.filter((r) => !r.problems.length && !r.duplicate).map((r) => r.fields),
  };
}

// Writes `ready` in chunks, one store transaction each, yielding to the page
// between chunks so it stays responsive; `progress(done)` after each.
export async function importRows(saveMany, ready, progress = () => {}) {
  for (let i = 0; i < ready.length; i += CHUNK) {
    await saveMany('applications', ready.slice(i, i + CHUNK).map((fields) => ({ fields })));
    progress(Math.min(i + CHUNK, ready.length));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return ready.length;
}
