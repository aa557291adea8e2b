// The policy file: the example is accepted exactly as written; a broken file fails with the
// line, column, key and what was expected; unknown keys are errors; doubtful settings warn.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicy } from '../../src/services/policy-file.ts';
import { parseDuration, parsePercent } from '../../src/services/policy-units.ts';
import { EXAMPLE_POLICY } from './world.ts';

const problems = (text: string) => {
  const r = parsePolicy(text, 'p.yml');
  if (r.ok) throw new Error('expected problems');
  return r.problems;
};

describe('policy file', () => {
  it('accepts the example exactly as written, with every value read', () => {
    const r = parsePolicy(EXAMPLE_POLICY, 'policy.yml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    expect(r.policy.roles).toEqual({
      viewer: ['*'],
      operator: ['U0REQ'],
      approver: ['U0AP01', 'U0AP02', 'S0GPULEADS'],
      admin: ['U0ADMIN'],
    });
    expect(r.policy.approvals).toEqual({
      channel: 'C0APPROVALS',
      ttlMs: 3_600_000,
      requoteTolerance: 0.1,
      requireReason: false,
    });
    expect(r.policy.requireApproval).toEqual({
      podCreateAbovePerHour: 1,
      gpuCountAbove: 4,
      terminate: true,
      volumeDelete: true,
      endpointDelete: false,
    });
    expect(r.policy.caps).toEqual({ perUserCostPerHour: 20, perUserPods: 5 });
  });

  it('a typo in a key is an error at its line and column, naming the keys that exist', () => {
    const text = EXAMPLE_POLICY.replace('  terminate: true', '  termnate: true');
    const [p, ...rest] = problems(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ line: 13, column: 3, key: 'require_approval.termnate' });
    expect(p?.message).toMatch(/unknown key.*terminate/);
    expect(problems('colour: blue\n')[0]).toMatchObject({ line: 1, column: 1, key: 'colour' });
  });

  it('wrong values say what was expected, where', () => {
    const text = EXAMPLE_POLICY.replace('ttl: 1h', 'ttl: 1 hour')
      .replace('channel: C0APPROVALS', 'channel: "#approvals"')
      .replace('gpu_count_above: 4', 'gpu_count_above: four')
      .replace('operator: [U0REQ]', 'operator: [alice]');
    const ps = problems(text);
    expect(ps.map((p) => `${p.line}:${p.column} ${p.key}`)).toEqual([
      '3:14 roles.operator.0',
      '7:12 approvals.channel',
      '8:8 approvals.ttl',
      '12:20 require_approval.gpu_count_above',
    ]);
    expect(ps[0]?.message).toMatch(/Slack user id/);
    expect(ps[2]?.message).toMatch(/90s, 30m, 1h or 2d/);
    expect(ps[3]?.message).toMatch(/whole number/);
  });

  it('broken YAML fails with its line', () => {
    const [p] = problems('roles:\n  viewer: [*\n');
    expect(p?.line).toBeGreaterThanOrEqual(2);
    expect(p?.message).toMatch(/not valid YAML/);
    expect(problems('roles:\n  viewer: ["*"]\n  viewer: ["*"]\n')[0]?.message).toMatch(/not valid YAML/);
  });

  it('approval rules without a channel are an error; doubtful settings warn', () => {
    expect(problems('require_approval:\n  terminate: true\n')[0]).toMatchObject({ key: 'require_approval' });
    const r = parsePolicy(
      'roles:\n  operator: ["*"]\n  approver: ["*"]\napprovals:\n  channel: C0APPR\n  ttl: 60s\n  requote_tolerance: 80%\nrequire_approval:\n  terminate: true\n',
      'p.yml',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.join('\n')).toMatch(/ttl is 1m/);
    expect(r.warnings.join('\n')).toMatch(/requote_tolerance is 80%/);
    expect(r.warnings.join('\n')).toMatch(/anyone but the requester can approve/);
  });

  it('a file that does not exist is one problem naming that', () => {
    const r = loadPolicyFile(join(mkdtempSync(join(tmpdir(), 'pol-')), 'nope.yml'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toMatch(/does not exist/);
  });

  it('reads a file from disk', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pol-')), 'policy.yml');
    writeFileSync(path, EXAMPLE_POLICY);
    expect(loadPolicyFile(path).ok).toBe(true);
  });

  it('durations and percentages are written as the issue says', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('1h'), parseDuration('2d')]).toEqual([
      90_000, 1_800_000, 3_600_000, 172_800_000,
    ]);
    expect(parseDuration('1 hour')).toBeNull();
    expect(parseDuration('0s')).toBeNull();
    expect(parsePercent('10%')).toBe(0.1);
    expect(parsePercent('ten')).toBeNull();
  });
});
