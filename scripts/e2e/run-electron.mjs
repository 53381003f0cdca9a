#!/usr/bin/env node
// For contributors whose machine can download VS Code: the same e2e suite in desktop VS Code through
// @vscode/test-electron (it downloads VS Code 1.100.3 on first use). CI and offline machines use
// scripts/e2e/run.mjs instead, which serves VS Code through code-server to headless Chromium.
// Tests that need the harness's control channel (real key presses, DOM) skip themselves here.
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './code-server.mjs';

try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error('[e2e electron] failed:', error);
  process.exit(1);
}
