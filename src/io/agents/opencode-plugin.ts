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
 * hook after 10 seconds. The launcher path is the only thing that varies; `agents status` compares the whole file.
 */
export function opencodePlugin(launcher: string): string {
  return `${OPENCODE_MARKER}; '${PRODUCT.cli} agents uninstall opencode' removes this file.
// Passes OpenCode's tool events to '${PRODUCT.cli} agent-hook opencode', which records the files its tools write.
import { spawn } from 'node:child_process';

const LAUNCHER = ${JSON.stringify(launcher)};
const models = new Map();

function send(payload) {
  return new Promise(resolve => {
    let child;
    try {
      child = spawn(LAUNCHER, ['agent-hook', 'opencode'], { stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      try {
        child.kill('SIGKILL');
      } catch {}
      resolve();
    }, 10000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    child.on('error', done);
    child.on('close', done);
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(payload));
  });
}

async function pass(directory, event, input, args) {
  try {
    await send({
      hook_event_name: event,
      session_id: input?.sessionID,
      call_id: input?.callID,
      tool: input?.tool,
      args,
      cwd: directory,
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
    'tool.execute.before': async (input, output) => pass(directory, 'tool.execute.before', input, output?.args),
    'tool.execute.after': async input => pass(directory, 'tool.execute.after', input, input?.args),
  };
};
`;
}
