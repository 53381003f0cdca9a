// Preloaded into code-server with --require. code-server runs in its own process group so the harness can end
// it with everything it spawned; if the harness dies without cleaning up (SIGKILL, a cancelled CI job), this
// notices the new parent and takes the whole group down, so no server is left running.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid === parentAtStart) return;
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
}, 1000).unref();
