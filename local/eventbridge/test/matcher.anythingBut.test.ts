import { describe, expect, it } from 'vitest';
import { compilePattern } from '../compilePattern';
import { withDetail } from './awsEvent';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// section "Anything-but matching" and its sub-sections (prefix, suffix, ignore case, wildcard)
describe('anything-but matching', () => {
  const matchesState = (pattern: unknown, states: readonly unknown[]): boolean[] => {
    const matcher = compilePattern({ detail: { state: pattern } });
    return states.map((state) => matcher.matches(withDetail({ state })));
  };

  it('with a single string matches any other state, as in the "initializing" example', () => {
    const results = matchesState([{ 'anything-but': 'initializing' }], ['running', 'initializing']);

    expect(results).toEqual([true, false]);
  });

  it('with a single number matches any other number, as in the x-limit 123 example', () => {
    const matcher = compilePattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } });

    const results = [
      matcher.matches(withDetail({ 'x-limit': 789 })),
      matcher.matches(withDetail({ 'x-limit': 123 })),
    ];

    expect(results).toEqual([true, false]);
  });

  it('with a list of strings excludes every listed string, as in the stopped/overloaded example', () => {
    const results = matchesState(
      [{ 'anything-but': ['stopped', 'overloaded'] }],
      ['running', 'stopped', 'overloaded'],
    );

    expect(results).toEqual([true, false, false]);
  });

  it('with a list of numbers excludes every listed number, as in the 100/200/300 example', () => {
    const matcher = compilePattern({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } });

    const results = [999, 100, 300.0].map((limit) => matcher.matches(withDetail({ 'x-limit': limit })));

    expect(results).toEqual([true, false, false]);
  });

  it('with a prefix excludes values that start with it, as in the "init" example', () => {
    const results = matchesState([{ 'anything-but': { prefix: 'init' } }], ['post-init', 'initializing']);

    expect(results).toEqual([true, false]);
  });

  it('with a list of prefixes excludes values that start with any of them', () => {
    const results = matchesState(
      [{ 'anything-but': { prefix: ['init', 'error'] } }],
      ['running', 'error-3', 'init'],
    );

    expect(results).toEqual([true, false, false]);
  });

  it('with a suffix excludes file names ending with it, as in the .png example', () => {
    const matcher = compilePattern({ detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } });

    const results = ['photo.jpg', 'photo.png'].map((FileName) => matcher.matches(withDetail({ FileName })));

    expect(results).toEqual([true, false]);
  });

  it('with a list of suffixes excludes values ending with any of them', () => {
    const matcher = compilePattern({
      detail: { FileName: [{ 'anything-but': { suffix: ['.txt', '.jpg'] } }] },
    });

    const results = ['file.txt.bak', 'file.jpg'].map((FileName) => matcher.matches(withDetail({ FileName })));

    expect(results).toEqual([true, false]);
  });

  it('ignoring case excludes every casing of the value, as in the "initializing" example', () => {
    const results = matchesState(
      [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }],
      ['pending', 'INITIALIZING', 'Initializing'],
    );

    expect(results).toEqual([true, false, false]);
  });

  it('ignoring case with a list excludes every casing of every listed value', () => {
    const results = matchesState(
      [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }],
      ['pending', 'stopped', 'OVERLOADED'],
    );

    expect(results).toEqual([true, false, false]);
  });

  it('with a wildcard excludes file paths that include /lib/, as in the FilePath example', () => {
    const matcher = compilePattern({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } });

    const results = ['/usr/bin/node', '/usr/lib/node'].map((FilePath) =>
      matcher.matches(withDetail({ FilePath })),
    );

    expect(results).toEqual([true, false]);
  });

  it('with a list of wildcards excludes values matching any of them', () => {
    const results = matchesState(
      [{ 'anything-but': { wildcard: ['*/init/*', '*/dir/*'] } }],
      ['dir/post/dir', 'dir/init/dir'],
    );

    expect(results).toEqual([true, false]);
  });

  it('never matches a missing field', () => {
    const patterns = [
      { 'anything-but': 'initializing' },
      { 'anything-but': ['stopped'] },
      { 'anything-but': { prefix: 'init' } },
      { 'anything-but': { suffix: '.txt' } },
      { 'anything-but': { 'equals-ignore-case': 'initializing' } },
      { 'anything-but': { wildcard: '*/dir/*' } },
    ];

    const results = patterns.map((pattern) =>
      compilePattern({ detail: { state: [pattern] } }).matches(withDetail({ other: 'x' })),
    );

    expect(results).toEqual([false, false, false, false, false, false]);
  });

  it('matches a null value, which is present and not excluded', () => {
    const patterns = [
      { 'anything-but': 'initializing' },
      { 'anything-but': ['stopped', 'running'] },
      { 'anything-but': { prefix: 'init' } },
      { 'anything-but': { 'equals-ignore-case': 'initializing' } },
      { 'anything-but': { wildcard: '*/dir/*' } },
    ];

    const results = patterns.map((pattern) =>
      compilePattern({ detail: { state: [pattern] } }).matches(withDetail({ state: null })),
    );

    expect(results).toEqual([true, true, true, true, true]);
  });

  it('matches values of another type than the excluded ones', () => {
    const results = [
      ...matchesState([{ 'anything-but': { prefix: 'init' } }], [12]),
      ...matchesState([{ 'anything-but': { wildcard: '*/dir/*' } }], [123]),
      ...matchesState([{ 'anything-but': [100, 200] }], ['100']),
    ];

    expect(results).toEqual([true, true, true]);
  });

  it('with an empty wildcard excludes only the empty string', () => {
    const results = matchesState([{ 'anything-but': { wildcard: '' } }], ['dir/init/file', '']);

    expect(results).toEqual([true, false]);
  });

  it('matches an array when one of its elements is not excluded', () => {
    const results = matchesState([{ 'anything-but': ['stopped'] }], [['stopped', 'running'], ['stopped']]);

    expect(results).toEqual([true, false]);
  });
});
