// The agent hook's own entry point (dist/agent-hook.js): the launcher runs it for `agent-hook AGENT`, so each tool
// call of an agent starts only the code the hook needs, not the whole CLI. Same behaviour as `ai-provenance
// agent-hook` (which still works): the one command, nothing else.
import { agentHookCommand } from './commands/agent-hook';
import { stderrLogger } from './logger';

const [command, ...args] = process.argv.slice(2);
if (command !== 'agent-hook') {
  process.stderr.write(`ai-provenance: this entry point runs "agent-hook AGENT" only\n`);
  process.exitCode = 0;
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${agentHookCommand.help.trimEnd()}\n`);
} else {
  void agentHookCommand
    .run(args, { cwd: process.cwd(), stdout: process.stdout, stdin: process.stdin, logger: stderrLogger() })
    .then(code => {
      process.exitCode = code;
    });
}
