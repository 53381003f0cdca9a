import { PRODUCT } from '../../core/product';

/** The first line of the plugin file we write: a file without it is someone else's and is never replaced. */
export const OPENCODE_MARKER = `// ${PRODUCT.cli}: managed by AI Provenance`;

/**
 * OpenCode has no command hooks: it loads JavaScript plugins from `.opencode/plugins/` and
 * `~/.config/opencode/plugins/` and calls their `tool.execute.before` (with the tool's arguments, before it runs)
 * and `tool.execute.after` (after it ran). Our plugin passes each to `<launcher> agent-hook opencode` as a JSON
 * payload on stdin, as the other agents' hooks do, and waits for it (so the snapshot before a tool is taken before
 * the tool writes). It remembers the model each session last called (its `chat.params` hook), since the tool hooks
 * do not name it. It never changes a tool's arguments or output, never throws into OpenCode, and gives up on our
 * hook after 10 seconds. When our hook cannot run (no launcher on this machine, an error, a timeout) it says so once
 * on OpenCode's standard error: OpenCode's edits are then not recorded, and the person must know. A plugin
 * committed to a repository runs on other machines: it falls back to that person's launcher. The launcher path is
 * the only thing that varies; `agents status` compares the whole file.
 */
export function opencodePlugin(launcher: string): string {
  return `${OPENCODE_MARKER}; '${PRODUCT.cli} agents uninstall opencode' removes this file.
// Passes OpenCode's tool events to '${PRODUCT.cli} agent-hook opencode', which records the files its tools write.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

// The launcher install wrote, else this person's (a plugin committed to a repository runs on other machines).
function launcher() {
  const env = process.env;
  const data = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  const own = env.AI_PROVENANCE_HOME ? join(env.AI_PROVENANCE_HOME, 'bin', '${PRODUCT.cli}') : join(data, '${PRODUCT.cli}', 'bin', '${PRODUCT.cli}');
  for (const candidate of [${JSON.stringify(launcher)}, own]) if (existsSync(candidate)) return candidate;
  return undefined;
}

const models = new Map();
const argsByCall = new Map();
let warned = false;

// Once per OpenCode process: the hook did not run, so what OpenCode writes is not recorded.
function warn(why) {
  if (warned) return;
  warned = true;
  try {
    console.error('${PRODUCT.cli}: OpenCode edits are not being recorded: ' + why + ". Run '${PRODUCT.cli} agents install opencode'.");
  } catch {}
}

function send(payload) {
  return new Promise(resolve => {
    let json;
    try {
      json = JSON.stringify(payload);
    } catch {
      warn('a tool event could not be serialized');
      resolve();
      return;
    }
    const program = launcher();
    if (program === undefined) {
      warn('the ${PRODUCT.cli} launcher is not installed');
      resolve();
      return;
    }
    let child;
    try {
      child = spawn(program, ['agent-hook', 'opencode'], { stdio: ['pipe', 'ignore', 'ignore'] });
    } catch (error) {
      warn(String(error));
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      warn('the hook took over 10 s');
      try {
        child.kill('SIGKILL');
      } catch {}
      resolve();
    }, 10000);
    child.on('error', error => {
      clearTimeout(timer);
      warn(String(error));
      resolve();
    });
    child.on('close', code => {
      clearTimeout(timer);
      if (code !== 0) warn('the hook exited with ' + code);
      resolve();
    });
    child.stdin.on('error', () => {});
    child.stdin.end(json);
  });
}

async function pass(directory, event, input, args) {
  try {
    // A shell command run in another folder (workdir) changes files there.
    const workdir = input?.tool === 'bash' && typeof args?.workdir === 'string' && args.workdir !== '' ? args.workdir : undefined;
    await send({
      hook_event_name: event,
      session_id: input?.sessionID,
      call_id: input?.callID,
      tool: input?.tool,
      args,
      cwd: workdir === undefined ? directory : isAbsolute(workdir) ? workdir : join(directory, workdir),
      model: models.get(input?.sessionID),
    });
  } catch {}
}

export const AiProvenance = async ({ directory }) => {
  return {
    'chat.params': async input => {
      try {
        const id = input?.model?.api?.id ?? input?.model?.id;
        if (typeof input?.sessionID === 'string' && typeof id === 'string') models.set(input.sessionID, id);
      } catch {}
    },
    'tool.execute.before': async (input, output) => {
      if (input?.callID !== undefined) argsByCall.set(input.callID, output?.args);
      await pass(directory, 'tool.execute.before', input, output?.args);
    },
    // Versions whose after hook carries no args: the ones the before hook saw.
    'tool.execute.after': async input => {
      const args = input?.args ?? argsByCall.get(input?.callID);
      argsByCall.delete(input?.callID);
      await pass(directory, 'tool.execute.after', input, args);
    },
  };
};
`;
}
