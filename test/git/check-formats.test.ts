import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { visible } from '../../src/cli/ci-reports';
import { repoRoot, runCli, type CliResult } from '../support/git-fixture';
import { gitlabJob, runJob, runnerBin } from '../support/ci-recipe';
import {
  agentTraceNote,
  envAs,
  junior,
  senior,
  senior2,
  show,
  signoffReposPerTest,
  type SignoffRepo,
} from '../support/signoff-fixture';

/**
 * `check --format gitlab|junit|sarif` and `--output FORMAT=FILE` (docs/formats.md, "check's CI reports"), through
 * the built CLI on real repositories, each report validated against its published schema:
 * - SARIF against the OASIS SARIF 2.1.0 schema that @microsoft/jest-sarif ships (draft-04: read by Ajv's draft-07
 *   validator with its `id` renamed `$id`, the one keyword of that schema the two drafts spell differently);
 * - JUnit XML with xmllint against the Apache Ant JUnit schema (test/fixtures/schemas/junit.xsd);
 * - GitLab Code Quality against test/fixtures/schemas/gitlab-code-quality.json, written from GitLab's documented
 *   required fields.
 * And the GitLab CI job of docs/ci.md runs as written.
 */

const schemas = path.join(repoRoot, 'test', 'fixtures', 'schemas');
const junitXsd = path.join(schemas, 'junit.xsd');
const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

/** `unicodeRegExp: false` for the SARIF schema, whose patterns are plain ECMA-262 (one has a stray `]`). */
function validator(schema: object, unicodeRegExp = true): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp });
  addFormats(ajv);
  return ajv.compile(schema);
}

let sarifSchema: ValidateFunction | undefined;
let gitlabSchema: ValidateFunction | undefined;

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  assert.ok(validate(value), `${what} does not match its schema: ${JSON.stringify(validate.errors, null, 2)}`);
}

interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

function validGitlab(text: string): GitlabIssue[] {
  gitlabSchema ??= validator(
    JSON.parse(fs.readFileSync(path.join(schemas, 'gitlab-code-quality.json'), 'utf8')) as object,
  );
  assert.notEqual(text.charCodeAt(0), 0xfeff, 'GitLab refuses a byte order mark');
  const issues = JSON.parse(text) as GitlabIssue[];
  assertValid(gitlabSchema, issues, 'the GitLab Code Quality report');
  const prints = issues.map(i => i.fingerprint);
  assert.equal(new Set(prints).size, prints.length, 'one fingerprint per finding');
  return issues;
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: unknown }[];
      partialFingerprints: Record<string, string>;
      properties: Record<string, unknown>;
    }[];
  }[];
}

function validSarif(text: string): SarifLog {
  if (!sarifSchema) {
    const schema = JSON.parse(
      fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as Record<string, unknown>;
    assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
    const { id, $schema: _draft, ...rest } = schema;
    sarifSchema = validator({ $id: id, ...rest }, false);
  }
  const log = JSON.parse(text) as SarifLog;
  assertValid(sarifSchema, log, 'the SARIF log');
  return log;
}

/** xmllint against the Ant JUnit schema; returns the text. */
function validJunit(xml: string): string {
  const lint = spawnSync('xmllint', ['--noout', '--schema', junitXsd, '-'], { input: xml, encoding: 'utf8' });
  assert.equal(lint.status, 0, `xmllint refuses the JUnit report:\n${lint.stderr}\n---\n${xml}`);
  return xml;
}

/** The attributes of the one <testsuite>. */
function suiteOf(xml: string): Record<string, string> {
  const tag = /<testsuite ([^>]*)>/.exec(xml)?.[1];
  assert.ok(tag, xml);
  return Object.fromEntries([...tag.matchAll(/([\w.-]+)="([^"]*)"/g)].map(m => [m[1]!, m[2]!]));
}

const fingerprintOf = (rule: string, commit: string): string =>
  createHash('sha256').update(`ai-provenance\0${rule}\0${commit}`).digest('hex');

const RULES = [
  'ai-signoff/pending',
  'ai-signoff/requested',
  'ai-signoff/stale',
  'ai-signoff/unverified',
  'ai-signoff/changes-requested',
  'ai-signoff/no-roster',
  'ai-signoff/empty-roster',
  'ai-signoff/signers-exceed-roster',
];

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

function addNote(r: SignoffRepo, commit: string, file: string, start: number, end: number): void {
  r.git('notes', '--ref', 'refs/notes/ai-provenance', 'add', '-m', agentTraceNote(commit, file, start, end), commit);
}

describe('check --format gitlab|junit|sarif and --output (real git, schemas)', () => {
  const repo = signoffReposPerTest();
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const scratch = (prefix: string): string => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d;
  };

  it('one open and one signed-off AI commit: one GitLab issue, one JUnit failure and one pass, one SARIF result', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 3, 'feat: the reviewed part');
    assert.equal(r.signOff(senior()).status, 0);
    const b = r.aiCommit(junior(), 'src/b.ts', 2, 'feat: the open part');
    addNote(r, b, 'src/b.ts', 2, 2);
    const patchB = r.patchId(b);

    const gl = r.check('--format', 'gitlab');
    assert.equal(gl.status, 1, show(gl));
    const issues = validGitlab(gl.stdout);
    assert.equal(issues.length, 1, gl.stdout);
    assert.deepEqual(issues[0], {
      description: `AI sign-off pending: ${b.slice(0, 10)} feat: the open part (ai=2 mixed=0): waits for a senior to sign off. First AI line: src/b.ts:2 (as the commit wrote it).`,
      check_name: 'ai-signoff/pending',
      fingerprint: fingerprintOf('ai-signoff/pending', b),
      severity: 'major',
      location: { path: 'src/b.ts', lines: { begin: 2 } },
    });

    const junit = r.check('--format', 'junit');
    assert.equal(junit.status, 1, show(junit));
    const xml = validJunit(junit.stdout);
    const suite = suiteOf(xml);
    assert.equal(suite.name, 'ai-provenance check');
    assert.deepEqual([suite.tests, suite.failures, suite.errors, suite.skipped], ['2', '1', '0', '0']);
    assert.match(suite.timestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.match(xml, new RegExp(`<property name="head.commit" value="${r.head()}"/>`));
    assert.equal(xml.match(/<testcase /g)?.length, 2, xml);
    assert.equal(xml.match(/<failure /g)?.length, 1, xml);
    assert.ok(
      xml.includes(`<testcase classname="ai-signoff" name="${a.slice(0, 10)} feat: the reviewed part" time="0"/>`),
      xml,
    );
    const failing = new RegExp(
      `<testcase classname="ai-signoff" name="${b.slice(0, 10)} feat: the open part" time="0">\\n\\s*` +
        `<failure message="pending: waits for a senior to sign off" type="pending">([^<]*)</failure>`,
    ).exec(xml);
    assert.ok(failing, xml);
    assert.match(
      failing[1]!,
      new RegExp(`^commit ${b}\\npatch id ${patchB}\\nauthor Jun Ior &lt;junior@example.com&gt;`),
    );
    assert.match(failing[1]!, /\nfile src\/b\.ts:2\n/);
    assert.match(failing[1]!, /ai-provenance sign-off --base main/);
    assert.match(xml, /<system-out>AI sign-off check of main\.\.HEAD[^<]*FAILED: 1 of 2 AI-assisted commits/);

    const sarifRun = r.check('--format', 'sarif');
    assert.equal(sarifRun.status, 1, show(sarifRun));
    const sarif = validSarif(sarifRun.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0]!;
    assert.equal(run.tool.driver.name, 'AI Provenance');
    assert.equal(run.tool.driver.version, version);
    assert.deepEqual(
      run.tool.driver.rules.map(rule => rule.id),
      RULES,
    );
    assert.equal(run.results.length, 1, sarifRun.stdout);
    const result = run.results[0]!;
    assert.equal(result.ruleId, 'ai-signoff/pending');
    assert.equal(run.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
    assert.equal(result.level, 'error');
    assert.equal(result.message.text, issues[0]!.description);
    assert.deepEqual(result.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'src/b.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 2 },
        },
      },
    ]);
    assert.deepEqual(result.partialFingerprints, {
      'aiProvenanceFinding/v1': fingerprintOf('ai-signoff/pending', b),
    });
    assert.deepEqual(result.properties, {
      commit: b,
      patchId: patchB,
      state: 'pending',
      highRisk: false,
      aiLines: 2,
      requiredSigners: 1,
      signers: [],
    });
  });

  it('a signed-off branch gives empty reports and exit 0', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);

    const gl = r.check('--format', 'gitlab');
    assert.equal(gl.status, 0, show(gl));
    assert.deepEqual(validGitlab(gl.stdout), []);

    const junit = r.check('--format', 'junit');
    assert.equal(junit.status, 0, show(junit));
    const xml = validJunit(junit.stdout);
    const suite = suiteOf(xml);
    assert.deepEqual([suite.tests, suite.failures, suite.errors, suite.skipped], ['1', '0', '0', '0']);
    assert.ok(xml.includes(`<testcase classname="ai-signoff" name="${a.slice(0, 10)} feat: src/a.ts" time="0"/>`));
    assert.doesNotMatch(xml, /<failure/);

    const sarif = r.check('--format', 'sarif');
    assert.equal(sarif.status, 0, show(sarif));
    assert.deepEqual(validSarif(sarif.stdout).runs[0]!.results, []);

    // No AI commit at all: a JUnit report without a test case, still valid.
    const human = repo();
    human.commitAs(junior(), 'docs: by hand\n', { files: { 'docs/a.md': 'hand\n' } });
    const none = human.check('--format', 'junit');
    assert.equal(none.status, 0, show(none));
    assert.equal(suiteOf(validJunit(none.stdout)).tests, '0');
  });

  it('high-risk commits are critical, commits the policy lets through are skipped, a commit without a note has no line', () => {
    const r = repo({
      seniors: [senior(), senior2()],
      policy: { signoff: { highRisk: ['infra/**'], minAiLines: 5 } },
    });
    const risky = r.aiCommit(junior(), 'infra/main.tf', 2, 'feat: infra');
    const small = r.aiCommit(junior(), 'src/small.ts', 1, 'feat: small');

    const gl = r.check('--format', 'gitlab');
    assert.equal(gl.status, 1, show(gl));
    const issues = validGitlab(gl.stdout);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.severity, 'critical');
    assert.deepEqual(issues[0]!.location, { path: 'infra/main.tf', lines: { begin: 1 } });
    assert.match(
      issues[0]!.description,
      new RegExp(
        `^AI sign-off pending: ${risky.slice(0, 10)} feat: infra \\(ai=2 mixed=0, high-risk\\): needs 2 distinct seniors\\.$`,
      ),
    );

    const xml = validJunit(r.check('--format', 'junit').stdout);
    const suite = suiteOf(xml);
    assert.deepEqual([suite.tests, suite.failures, suite.errors, suite.skipped], ['2', '1', '0', '1']);
    assert.ok(
      xml.includes(
        `<testcase classname="ai-signoff" name="${small.slice(0, 10)} feat: small" time="0">\n      <skipped message="no sign-off needed: its AI lines are below the policy&apos;s minAiLines"/>`,
      ),
      xml,
    );

    const sarif = validSarif(r.check('--format', 'sarif').stdout);
    assert.deepEqual(
      sarif.runs[0]!.results.map(x => x.locations),
      [[{ physicalLocation: { artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' } } }]],
    );
    assert.equal(sarif.runs[0]!.results[0]!.properties.highRisk, true);
  });

  it('a hostile subject and file name give valid reports that show every character visibly', () => {
    const r = repo();
    const subject = 'feat: <b>&"q"\' \u0007 \u001b[31m \u202eevil\tend';
    const file = 'src/<x&"y">\u0007\u001b\u202e.ts';
    const c = r.aiCommit(junior(), file, 2, subject);
    assert.equal(r.git('log', '-1', '--format=%s'), `${subject}\n`, 'git keeps the subject as written');
    const out = scratch('ai-provenance-reports-');
    const result = r.cli([
      'check',
      '--base',
      'main',
      '--output',
      `gitlab=${out}/gl.json`,
      `junit=${out}/junit.xml`,
      `sarif=${out}/ai.sarif`,
    ]);
    assert.equal(result.status, 1, show(result));
    const shownSubject = 'feat: <b>&"q"\' \\x07 \\x1b[31m \\u202eevil\tend';
    const shownFile = 'src/<x&"y">\\x07\\x1b\\u202e.ts';
    const texts = ['gl.json', 'junit.xml', 'ai.sarif'].map(name => fs.readFileSync(path.join(out, name), 'utf8'));
    for (const text of texts) {
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/, text);
    }

    const [issue] = validGitlab(texts[0]!);
    assert.equal(issue!.location.path, shownFile);
    assert.ok(
      issue!.description.startsWith(`AI sign-off pending: ${c.slice(0, 10)} ${shownSubject} (ai=2`),
      issue!.description,
    );
    assert.match(
      issue!.description,
      /Note: its file name holds control or invisible characters, shown as their codes\.$/,
    );

    const xml = validJunit(texts[1]!);
    const escaped = 'feat: &lt;b&gt;&amp;&quot;q&quot;&apos; \\x07 \\x1b[31m \\u202eevil&#9;end';
    assert.ok(xml.includes(`name="${c.slice(0, 10)} ${escaped}"`), xml);
    assert.ok(xml.includes('\nfile src/&lt;x&amp;&quot;y&quot;&gt;\\x07\\x1b\\u202e.ts (its file name holds'), xml);

    const sarif = validSarif(texts[2]!);
    const [res] = sarif.runs[0]!.results;
    assert.deepEqual(res!.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'src/%3Cx%26%22y%22%3E%5Cx07%5Cx1b%5Cu202e.ts', uriBaseId: '%SRCROOT%' },
        },
      },
    ]);
    assert.equal(res!.message.text, issue!.description);

    // What git cannot carry in a subject (it re-encodes text that is not UTF-8), the renderers still make visible.
    assert.equal(visible('a\ud800b\udc00c\uffff\ufffe\ud83d\ude00'), 'a\\ud800b\\udc00c\\uffff\\ufffe\ud83d\ude00');
  });

  it('--output writes each report after the check while standard output keeps the text; nothing when the check cannot run', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    fs.mkdirSync(path.join(r.dir, 'reports'));
    const gl = path.join(r.dir, 'gl-code-quality-report.json');
    fs.writeFileSync(gl, 'an older report\n');

    const result = r.cli([
      'check',
      '--base',
      'main',
      '--output',
      'junit=reports/ai-signoff.xml',
      '--output',
      'gitlab=gl-code-quality-report.json',
      '--output',
      'sarif=reports/ai.sarif',
      'json=reports/ai.json',
    ]);
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /^AI sign-off check of main\.\.HEAD /);
    assert.match(result.stdout, /FAILED: 1 of 1 AI-assisted commits are not signed off\./);
    assert.equal(result.stderr, '');

    const junit = validJunit(fs.readFileSync(path.join(r.dir, 'reports', 'ai-signoff.xml'), 'utf8'));
    assert.equal(suiteOf(junit).failures, '1');
    const [issue] = validGitlab(fs.readFileSync(gl, 'utf8'));
    assert.equal(issue!.fingerprint, fingerprintOf('ai-signoff/pending', a));
    assert.equal(
      validSarif(fs.readFileSync(path.join(r.dir, 'reports', 'ai.sarif'), 'utf8')).runs[0]!.results.length,
      1,
    );
    const json = JSON.parse(fs.readFileSync(path.join(r.dir, 'reports', 'ai.json'), 'utf8'));
    assert.equal(json.version, 1);
    assert.equal(json.ok, false);
    assert.equal(json.commits[0].commit, a);
    assert.equal(fs.statSync(gl).mode & 0o777, 0o644);
    assert.deepEqual(fs.readdirSync(path.join(r.dir, 'reports')).sort(), ['ai-signoff.xml', 'ai.json', 'ai.sarif']);
    assert.deepEqual(
      fs.readdirSync(r.dir).filter(name => name.endsWith('.tmp')),
      [],
      'no temporary file is left behind',
    );

    // The same run with --format junit: standard output gets the XML, the files their formats.
    const both = r.cli(['check', '--base', 'main', '--format', 'junit', '--output', 'sarif=reports/again.sarif']);
    assert.equal(both.status, 1, show(both));
    validJunit(both.stdout);
    validSarif(fs.readFileSync(path.join(r.dir, 'reports', 'again.sarif'), 'utf8'));

    // The check cannot run (exit 3): no report is written, an older one stays as it was.
    fs.writeFileSync(gl, 'an older report\n');
    const failed = r.cli([
      'check',
      '--base',
      'origin/nope',
      '--format',
      'sarif',
      '--output',
      'gitlab=gl-code-quality-report.json',
      '--output',
      'junit=reports/new.xml',
    ]);
    assert.equal(failed.status, 3, show(failed));
    assert.equal(failed.stdout, '');
    assert.match(failed.stderr, /the base revision 'origin\/nope' is not a commit in this repository/);
    assert.equal(fs.readFileSync(gl, 'utf8'), 'an older report\n');
    assert.equal(fs.existsSync(path.join(r.dir, 'reports', 'new.xml')), false);
  });

  it('bad --output and --format values exit 2 before the check, with the fix, and write nothing', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 1);
    const cases: [string[], RegExp][] = [
      [
        ['--output', 'junit'],
        /--output takes FORMAT=FILE, e\.g\. --output junit=ai-signoff\.xml \(got "junit"; FORMAT is one of json, gitlab, junit, sarif\)/,
      ],
      [
        ['--output', 'xml=a.xml'],
        /--output xml=a\.xml: unknown report format "xml"; use one of json, gitlab, junit, sarif/,
      ],
      [['--output', 'github=a.txt'], /unknown report format "github"; use one of json, gitlab, junit, sarif/],
      [
        ['--output', 'junit='],
        /--output junit=: the file name is missing after "="; e\.g\. --output junit=ai-signoff\.xml/,
      ],
      [
        ['--output', 'sarif=no/such/folder/a.sarif'],
        /cannot write .*no\/such\/folder\/a\.sarif: the folder .*no\/such\/folder does not exist; create it first/,
      ],
      [
        ['--output', 'gitlab=README.md/gl.json'],
        /cannot write .*README\.md\/gl\.json: .*README\.md is not a folder; name a file in a folder/,
      ],
      [['--output', 'junit=src'], /--output junit=src: cannot write .*\/src: it is a folder; name a file/],
      [
        ['--output', 'junit=a.xml', '--output', 'sarif=./a.xml'],
        /--output names .*\/a\.xml twice; give each report a file of its own/,
      ],
      [['--format', 'xml'], /--format must be one of text, json, github, gitlab, junit, sarif \(got "xml"\)/],
    ];
    for (const [args, message] of cases) {
      const result = r.check(...args);
      assert.equal(result.status, 2, `${args.join(' ')}\n${show(result)}`);
      assert.equal(result.stdout, '', `${args.join(' ')}: the check did not run`);
      assert.match(result.stderr, message, args.join(' '));
    }
    assert.deepEqual(r.git('status', '--porcelain', '--untracked-files=all').trim(), '', 'no file was written');
  });

  it('fingerprints stay the same across runs and clones, and differ between commits and states', () => {
    const r = repo({ seniors: [senior()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 1);
    const b = r.aiCommit(junior(), 'src/b.ts', 1);
    const prints = (result: CliResult): Record<string, string> => {
      assert.equal(result.status, 1, show(result));
      return Object.fromEntries(
        validGitlab(result.stdout).map(i => [i.description.split(' ')[3]!, `${i.check_name} ${i.fingerprint}`]),
      );
    };
    const first = prints(r.check('--format', 'gitlab'));
    assert.deepEqual(first, {
      [a.slice(0, 10)]: `ai-signoff/pending ${fingerprintOf('ai-signoff/pending', a)}`,
      [b.slice(0, 10)]: `ai-signoff/pending ${fingerprintOf('ai-signoff/pending', b)}`,
    });
    assert.deepEqual(prints(r.check('--format', 'gitlab')), first);

    const parent = scratch('ai-provenance-clone-');
    execFileSync('git', ['clone', '-q', '-b', 'feature', r.dir, path.join(parent, 'clone')], { stdio: 'ignore' });
    assert.deepEqual(
      prints(
        runCli(['-C', path.join(parent, 'clone'), 'check', '--base', 'refs/remotes/origin/main', '--format', 'gitlab']),
      ),
      first,
    );

    const asked = r.cli(['request-review', '--to', 'senior@example.com', '--base', 'main'], { as: junior() });
    assert.equal(asked.status, 0, show(asked));
    assert.deepEqual(prints(r.check('--format', 'gitlab')), {
      [a.slice(0, 10)]: `ai-signoff/requested ${fingerprintOf('ai-signoff/requested', a)}`,
      [b.slice(0, 10)]: `ai-signoff/requested ${fingerprintOf('ai-signoff/requested', b)}`,
    });
  });

  it('the GitLab CI job of docs/ci.md runs as written: reports for the merge request, exit 1 until a senior signs off', () => {
    const job = gitlabJob('GitLab CI');
    const { yaml, under, script } = job;
    assert.match(yaml, /^ {2}image: node:20$/m);
    assert.deepEqual(under('rules'), ['- if: $CI_PIPELINE_SOURCE == "merge_request_event"']);
    assert.deepEqual(under('variables'), ['GIT_DEPTH: "0"']);
    assert.match(under('artifacts').join('\n'), /^when: always$/m);
    const reports = Object.fromEntries(under('reports').map(l => l.split(/:\s+/) as [string, string]));
    assert.deepEqual(Object.keys(reports).sort(), ['codequality', 'junit']);
    assert.equal(script[0], 'npm install -g ai-provenance-cli@0.1.0');

    // The merge request: a feature branch with an AI commit nobody signed off, pushed to a real (bare) origin.
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2, 'feat: merge request work');
    const tmp = scratch('ai-provenance-gitlab-');
    const origin = path.join(tmp, 'origin.git');
    execFileSync('git', ['init', '-q', '--bare', origin]);
    r.git('push', '-q', origin, 'main', 'feature');
    // As a runner checks out a merge request: only its branch fetched, the commit detached.
    const work = path.join(tmp, 'work');
    execFileSync('git', ['clone', '-q', '--single-branch', '--branch', 'feature', origin, work], { stdio: 'ignore' });
    const head = execFileSync('git', ['-C', work, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    execFileSync('git', ['-C', work, 'checkout', '-q', '--detach', head]);
    const hasMain = (): boolean =>
      spawnSync('git', ['-C', work, 'rev-parse', '--verify', '-q', 'refs/remotes/origin/main']).status === 0;
    assert.equal(hasMain(), false, 'the target branch is not there before the job fetches it');

    // PATH: `npm` a stub that records what it is asked and installs nothing; `ai-provenance` the built CLI.
    const npmLog = path.join(tmp, 'npm.log');
    const bin = runnerBin(tmp, npmLog);
    const runMrJob = (commitSha: string): CliResult =>
      runJob(job, work, bin, {
        CI_PIPELINE_SOURCE: 'merge_request_event',
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
        CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature',
        CI_COMMIT_SHA: commitSha,
      });

    const open = runMrJob(head);
    assert.equal(open.status, 1, show(open));
    assert.equal(hasMain(), true, 'the job fetched the target branch');
    assert.deepEqual(fs.readFileSync(npmLog, 'utf8'), '["install","-g","ai-provenance-cli@0.1.0"]\n');
    assert.match(open.stdout, /FAILED: 1 of 1 AI-assisted commits are not signed off\./);
    const issues = validGitlab(fs.readFileSync(path.join(work, reports.codequality!), 'utf8'));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.location.path, 'src/a.ts');
    assert.equal(issues[0]!.fingerprint, fingerprintOf('ai-signoff/pending', head));
    const xml = validJunit(fs.readFileSync(path.join(work, reports.junit!), 'utf8'));
    assert.deepEqual([suiteOf(xml).tests, suiteOf(xml).failures], ['1', '1']);
    assert.ok(xml.includes(`name="${head.slice(0, 10)} feat: merge request work"`));

    // A senior signs off (on the merge request's branch); the next pipeline passes and its reports are empty.
    const signed = runCli(['-C', work, 'sign-off', '--base', 'refs/remotes/origin/main', '--yes'], {
      env: envAs(senior()),
    });
    assert.equal(signed.status, 0, show(signed));
    const tip = execFileSync('git', ['-C', work, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const passed = runMrJob(tip);
    assert.equal(passed.status, 0, show(passed));
    assert.deepEqual(validGitlab(fs.readFileSync(path.join(work, reports.codequality!), 'utf8')), []);
    const after = validJunit(fs.readFileSync(path.join(work, reports.junit!), 'utf8'));
    assert.deepEqual([suiteOf(after).tests, suiteOf(after).failures], ['1', '0']);
  });
});
