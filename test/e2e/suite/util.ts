import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/extension/platform/ids';
import type { AiProvenanceApi } from '../../../src/extension/extension';

/** Polls until cond() holds: for state that has no event to wait on. Fails with what it waited for. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/** The extension under test, activated. */
export async function activeExtension(): Promise<{
  extension: vscode.Extension<AiProvenanceApi>;
  api: AiProvenanceApi;
}> {
  const extension = vscode.extensions.getExtension<AiProvenanceApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  return { extension, api };
}

/** True when the harness's control channel (real keyboard, DOM queries) is available. */
export function harnessAvailable(): boolean {
  return !!process.env.E2E_CONTROL_URL;
}

/** Asks the harness to act in the browser: press a key, type, query the DOM, take a screenshot. */
export function harness<T = unknown>(endpoint: string, params: Record<string, string> = {}): Promise<T> {
  const base = process.env.E2E_CONTROL_URL;
  if (!base) return Promise.reject(new Error('E2E_CONTROL_URL is not set: run through scripts/e2e/run.mjs'));
  const url = `${base}${endpoint}?${new URLSearchParams(params).toString()}`;
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 20000 }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (body += chunk));
      res.on('end', () => {
        try {
          const parsed = JSON.parse(body) as T & { error?: string };
          if (res.statusCode === 200) resolve(parsed);
          else reject(new Error(parsed.error ?? body));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`harness request ${endpoint} timed out`)));
    req.on('error', reject);
  });
}

export interface DomQuery {
  count: number;
  elements: { text: string; label: string }[];
}

export function queryDom(selector: string): Promise<DomQuery> {
  return harness<DomQuery>('/query', { selector });
}

/** Clicks the first element matching `selector` (and holding `text`, when given) in the workbench. */
export async function clickDom(selector: string, text?: string): Promise<void> {
  await harness('/click', { selector, ...(text ? { text } : {}) });
}
